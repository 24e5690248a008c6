import { z } from 'zod';
import { zhCN } from 'zod/v4/locales';
import { workbenchLocale } from './locale.ts';

/**
 * Forms check what they send with the server's own schemas (zod) before sending; their messages
 * follow the workbench's language. NOTE: zod's configuration is global to this bundle's copy of
 * zod, which only the workbench uses; the server answers in English whatever the browser speaks.
 */
export function localizeValidationMessages(): void {
  if (workbenchLocale() === 'zh') z.config(zhCN());
}
