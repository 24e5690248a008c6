/** The few extension APIs used here (no @types/chrome dependency). */
declare namespace chrome {
  namespace runtime {
    interface Port {
      name: string;
      postMessage(message: unknown): void;
      onMessage: { addListener(listener: (message: any) => void): void };
      onDisconnect: { addListener(listener: () => void): void };
      disconnect(): void;
    }
    const id: string;
    function connect(info: { name: string }): Port;
    function sendMessage(message: unknown): Promise<any>;
    const onConnect: { addListener(listener: (port: Port) => void): void };
    const onMessage: { addListener(listener: (message: any, sender: unknown, respond: (answer: unknown) => void) => boolean | void): void };
  }
  namespace tabs {
    function query(query: { active: boolean; currentWindow?: boolean; lastFocusedWindow?: boolean }): Promise<{ id?: number; url?: string }[]>;
  }
  namespace scripting {
    function executeScript(injection: { target: { tabId: number }; files: string[] }): Promise<unknown>;
  }
  namespace storage {
    const local: { get(keys: string[]): Promise<Record<string, string | undefined>>; set(items: Record<string, string>): Promise<void> };
  }
}
