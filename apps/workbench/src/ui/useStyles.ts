import { useInsertionEffect } from 'react';

/**
 * Puts a module's styles in the document once. They travel inside the lazily loaded chunk, so
 * they also apply when the workbench is mounted into another site's page (a CRM), where a
 * <link> to /workbench/assets/… would point at the wrong server.
 */
export function useStyles(id: string, css: string): void {
  useInsertionEffect(() => {
    if (document.getElementById(id)) return;
    const style = document.createElement('style');
    style.id = id;
    style.textContent = css;
    document.head.append(style);
  }, [id, css]);
}
