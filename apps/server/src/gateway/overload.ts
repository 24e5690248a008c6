import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** Share of a window the event loop spent running code (not waiting for I/O) above which it is busy. */
const BUSY_UTILIZATION = 0.9;

export interface OverloadOptions {
  /** Mean event-loop delay over a window above which the window counts as saturated. */
  maxMeanLagMs: number;
  /** Length of a window. */
  windowMs: number;
  /** Saturated windows in a row before new sends are refused: a short spike (a restart's reconnects) is ridden out. */
  windows: number;
}

/**
 * Whether this process's event loop is saturated: the mean delay of its timers over the last window.
 * NOTE: when the CPU, not the database, is what runs out, frames wait in the kernel's socket
 * buffers before the server even reads them, where no queue of ours can see them; the loop's delay
 * is how long they wait. While it is high the gateway answers new sends FD_BUSY at once (cheap: no
 * validation, no storage, no fan-out), so that every send is answered within about a second and the
 * work the server does accept stays on time. NOTE: a refusal lets a sender's later message overtake the
 * refused one, so it is kept for sustained saturation only (several windows in a row), never a spike.
 */
export function createOverloadMonitor(options: OverloadOptions) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let inARow = 0;
  let lagMs = 0;
  let utilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    lagMs = histogram.count > 0 ? histogram.mean / 1e6 : 0;
    const window = performance.eventLoopUtilization(utilization);
    utilization = performance.eventLoopUtilization();
    // NOTE: late timers alone may mean other processes hold the CPU (a shared machine): only a loop
    // that is also busy nearly all the window is saturated by its own work, which refusing relieves.
    inARow = lagMs > options.maxMeanLagMs && window.utilization > BUSY_UTILIZATION ? inARow + 1 : 0;
    histogram.reset();
  }, options.windowMs);
  timer.unref();
  return {
    isSaturated: () => inARow >= options.windows,
    /** When to send again: a few windows, longer the later the loop runs. */
    retryAfterMs: () => Math.min(5000, Math.max(200, Math.round(lagMs * 4))),
    close(): void {
      clearInterval(timer);
      histogram.disable();
    },
  };
}

export type OverloadMonitor = ReturnType<typeof createOverloadMonitor>;
