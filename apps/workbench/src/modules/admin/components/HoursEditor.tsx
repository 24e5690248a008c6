import { MAX_PERIODS_PER_DAY, type Period, type WorkingHours } from '@frontdesk/protocol';
import { useId } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import type { FieldErrors } from '../state/form-errors.ts';
import { Checkbox } from './Checkbox.tsx';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../locales/index.ts';
import { browserTimeZone, localDateOf } from '../../reports/state/report-format.ts';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The browser's IANA zones, offered as suggestions (any zone the server knows is accepted). */
const TIME_ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export interface HoursEditorProps {
  /** null: always open. */
  value: WorkingHours | null;
  onChange: (value: WorkingHours | null) => void;
  /** Errors under `hours.` (paths relative to the hours object). */
  errors: FieldErrors;
  /** Text of the "has hours" checkbox. */
  label: string;
}

/** Today's date in the hours' zone (the browser's while the zone typed is not one Intl knows). */
function todayIn(timeZone: string): string {
  try {
    return localDateOf(Date.now(), timeZone);
  } catch {
    return localDateOf(Date.now(), browserTimeZone());
  }
}

function defaultHours(): WorkingHours {
  return {
    alwaysOpen: false,
    timeZone: browserTimeZone(),
    workdays: [1, 2, 3, 4, 5],
    workdayPeriods: [{ start: '09:00', end: '18:00' }],
    nonWorkdayPeriods: [],
    exceptions: [],
    offHoursMessage: '现在是非工作时间。We are closed now; please come back during our working hours.',
  };
}

/** Working hours (SPEC M11 / Huawei 座席工作时间): up to 4 periods on workdays and non-workdays, date exceptions. */
export function HoursEditor({ value, onChange, errors, label }: HoursEditorProps) {
  const zonesId = useId();
  const t = adminStrings().hours;
  const set = (patch: Partial<WorkingHours>) => value && onChange({ ...value, ...patch });
  return (
    <fieldset className="fd-admin-fieldset">
      <legend>{t.legend}</legend>
      <Checkbox label={label} checked={value !== null} onChange={(on) => onChange(on ? defaultHours() : null)} hint={t.alwaysOpenHint} />
      {errors[''] && <p className="fd-field__error" role="alert">{errors['']}</p>}
      {value && (
        <>
          <Checkbox label={t.aroundTheClock} checked={value.alwaysOpen} onChange={(alwaysOpen) => set({ alwaysOpen })} />
          <Field label={t.timeZone} error={errors.timeZone} hint={t.timeZoneHint}>
            <input value={value.timeZone} list={zonesId} onChange={(e) => set({ timeZone: e.target.value })} />
          </Field>
          <datalist id={zonesId}>
            {TIME_ZONES.map((zone) => <option key={zone} value={zone} />)}
          </datalist>
          <div className="fd-admin-weekdays" role="group" aria-label={t.workdays}>
            <span className="fd-field__label">{t.workdays}</span>
            {WEEKDAYS.map((day, i) => (
              <Checkbox
                key={day}
                label={t.weekdays[day]}
                checked={value.workdays.includes(i + 1)}
                onChange={(on) => set({ workdays: on ? [...value.workdays, i + 1].sort() : value.workdays.filter((d) => d !== i + 1) })}
              />
            ))}
            {errors.workdays && <p className="fd-field__error" role="alert">{errors.workdays}</p>}
          </div>
          <PeriodsEditor title={t.workdayPeriods} periods={value.workdayPeriods} onChange={(workdayPeriods) => set({ workdayPeriods })} errors={errors} prefix="workdayPeriods" />
          <PeriodsEditor title={t.nonWorkdayPeriods} periods={value.nonWorkdayPeriods} onChange={(nonWorkdayPeriods) => set({ nonWorkdayPeriods })} errors={errors} prefix="nonWorkdayPeriods" />
          <div className="fd-admin-list">
            <span className="fd-field__label">{t.exceptions}</span>
            {value.exceptions.map((exception, i) => (
              <div className="fd-admin-row" key={i}>
                <Field label={format(t.date, { n: i + 1 })} error={errors[`exceptions.${i}.date`] ?? errors[`exceptions.${i}`]}>
                  <input type="date" value={exception.date} onChange={(e) => set({ exceptions: value.exceptions.map((x, k) => (k === i ? { ...x, date: e.target.value } : x)) })} />
                </Field>
                <Field label={t.kind}>
                  <select value={exception.kind} onChange={(e) => set({ exceptions: value.exceptions.map((x, k) => (k === i ? { ...x, kind: e.target.value as 'workday' | 'non-workday' } : x)) })}>
                    <option value="non-workday">{t.nonWorkday}</option>
                    <option value="workday">{t.workday}</option>
                  </select>
                </Field>
                <Button size="sm" variant="ghost" aria-label={format(t.removeDate, { n: i + 1 })} onClick={() => set({ exceptions: value.exceptions.filter((_, k) => k !== i) })}>{adminStrings().common.remove}</Button>
              </div>
            ))}
            <Button size="sm" onClick={() => set({ exceptions: [...value.exceptions, { date: todayIn(value.timeZone), kind: 'non-workday' }] })}>{t.addDate}</Button>
          </div>
          <Field label={t.offHoursMessage} error={errors.offHoursMessage}>
            <textarea value={value.offHoursMessage} onChange={(e) => set({ offHoursMessage: e.target.value })} maxLength={1000} />
          </Field>
        </>
      )}
    </fieldset>
  );
}

function PeriodsEditor({ title, periods, onChange, errors, prefix }: { title: string; periods: Period[]; onChange: (p: Period[]) => void; errors: FieldErrors; prefix: string }) {
  const update = (i: number, patch: Partial<Period>) => onChange(periods.map((p, k) => (k === i ? { ...p, ...patch } : p)));
  const t = adminStrings().hours;
  return (
    <div className="fd-admin-list" role="group" aria-label={title}>
      <span className="fd-field__label">{title}</span>
      <span className="fd-field__hint">{format(t.periodsHint, { max: MAX_PERIODS_PER_DAY })}</span>
      {errors[prefix] && <p className="fd-field__error" role="alert">{errors[prefix]}</p>}
      {periods.map((period, i) => (
        <div className="fd-admin-row" key={i}>
          <Field label={format(t.from, { n: i + 1 })} error={errors[`${prefix}.${i}.start`] ?? errors[`${prefix}.${i}`]}>
            <input value={period.start} placeholder="09:00" pattern="\d\d:\d\d" onChange={(e) => update(i, { start: e.target.value })} />
          </Field>
          <Field label={format(t.to, { n: i + 1 })} error={errors[`${prefix}.${i}.end`]}>
            <input value={period.end} placeholder="18:00" onChange={(e) => update(i, { end: e.target.value })} />
          </Field>
          <Button size="sm" variant="ghost" aria-label={format(t.removePeriod, { periods: title.toLowerCase(), n: i + 1 })} onClick={() => onChange(periods.filter((_, k) => k !== i))}>{adminStrings().common.remove}</Button>
        </div>
      ))}
      {periods.length < MAX_PERIODS_PER_DAY && (
        <Button size="sm" onClick={() => onChange([...periods, { start: '13:00', end: '17:00' }])}>{t.addPeriod}</Button>
      )}
    </div>
  );
}
