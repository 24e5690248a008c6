import { stringsOf } from '../../../app/locale.ts';
import { en, type ChartId, type ReportStrings, type SeriesId, type UnitId } from './en.ts';
import { zh } from './zh.ts';

export type { ChartId, ReportStrings, SeriesId, UnitId };
export const REPORT_STRINGS = { en, zh };

/** The reports and wallboard strings in the page's language. */
export const reportStrings = (): ReportStrings => stringsOf(REPORT_STRINGS);
