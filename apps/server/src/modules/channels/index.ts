/**
 * Channel behaviour (SPEC M11). For now its pure core: working hours per channel — the
 * `WorkingHours` schema (periods, workdays, exceptions, IANA time zone, off-hours message)
 * and `isWithinHours` / `nextOpening` over a time passed in. No I/O, no clock reads.
 */
export {
  DateException,
  MAX_PERIODS_PER_DAY,
  NEXT_OPENING_HORIZON_MS,
  Period,
  WorkingHours,
  isWithinHours,
  nextOpening,
} from './hours.ts';
