import { MEDIA_TYPES, ROLES, type Agent, type MediaType, type Role } from '@frontdesk/protocol';
import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState, type FormEvent } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import { formErrorsOf, unplacedErrors, type FieldErrors } from '../../admin/state/form-errors.ts';
import { numberOrUndefined } from '../../admin/state/numbers.ts';
import { Checkbox } from '../../admin/components/Checkbox.tsx';
import { useFocusFirstError } from '../../admin/hooks/useFocusFirstError.ts';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { callStrings } from '../../calls/locales/index.ts';
import { mediaLabel } from '../state/media-labels.ts';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../../admin/locales/index.ts';
import { agentAdminStrings } from '../locales/index.ts';


export interface AgentFormProps {
  api: AdminApi;
  agent?: Agent;
  onSaved: (agent: Agent) => void;
  onCancel: () => void;
}

/** Create an agent, or change one: name, role, what it handles (chats, voice and video calls), capacity for chats and calls, password, disabled. */
export function AgentForm({ api, agent, onSaved, onCancel }: AgentFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState(agent?.name ?? '');
  const [role, setRole] = useState<Role>(agent?.role ?? 'agent');
  const [mediaTypes, setMediaTypes] = useState<MediaType[]>(agent?.mediaTypes ?? ['chat']);
  const [capacity, setCapacity] = useState(String(agent?.maxConcurrentChats ?? 5));
  const [callCapacity, setCallCapacity] = useState(String(agent?.maxConcurrentCalls ?? 1));
  const [disabled, setDisabled] = useState(agent?.disabled ?? false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const { formRef, arm } = useFocusFirstError(errors);
  const [isSaving, setSaving] = useState(false);
  const s = callStrings();
  const t = agentAdminStrings();
  const { common } = adminStrings();
  const takesCalls = mediaTypes.includes('audio') || mediaTypes.includes('video');

  function check(): FieldErrors {
    const found: FieldErrors = {};
    if (!agent && !/^\S+@\S+\.\S+$/.test(email.trim())) found.email = t.badEmail;
    if ((!agent || password) && password.length < 8) found.password = t.shortPassword;
    if (mediaTypes.length === 0) found.mediaTypes = t.noMedia;
    const max = Number(capacity);
    if (!Number.isInteger(max) || max < 1 || max > 100) found.maxConcurrentChats = t.badCapacity;
    const maxCalls = Number(callCapacity);
    if (!Number.isInteger(maxCalls) || maxCalls < 1 || maxCalls > 5) found.maxConcurrentCalls = s.maxCallsError;
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    arm();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const common = { role, mediaTypes, maxConcurrentChats: numberOrUndefined(capacity), maxConcurrentCalls: numberOrUndefined(callCapacity), ...(name.trim() ? { name: name.trim() } : {}) };
      const saved = agent
        ? await api.agents.update(agent.id, { ...common, disabled, ...(password ? { password } : {}) })
        : await api.agents.create({ ...common, email: email.trim(), password });
      onSaved(saved);
    } catch (err) {
      setErrors(formErrorsOf(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form ref={formRef} className="fd-admin-form" onSubmit={submit} noValidate aria-label={agent ? format(t.editFormLabel, { email: agent.email }) : t.newAgent}>
      <FormAlert messages={unplacedErrors(errors, ['email', 'password', 'name', 'role', 'mediaTypes', 'maxConcurrentChats', 'maxConcurrentCalls', 'disabled'])} />
      <div className="fd-admin-grid">
        {!agent && (
          <Field label={t.email} error={errors.email}>
            <input type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
        )}
        <Field label={agent ? t.newPassword : t.password} error={errors.password} hint={agent ? t.keepPassword : t.passwordHint}>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <Field label={common.name} error={errors.name}>
          <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t.role} error={errors.role}>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => <option key={r} value={r}>{t.roles[r]}</option>)}
          </select>
        </Field>
        <Field label={t.maxConcurrentChats} error={errors.maxConcurrentChats} hint="1–100">
          <input type="number" value={capacity} onChange={(e) => setCapacity(e.target.value)} />
        </Field>
        {takesCalls && (
          <Field label={s.maxCalls} error={errors.maxConcurrentCalls} hint={s.maxCallsHint}>
            <input type="number" name="maxConcurrentCalls" value={callCapacity} onChange={(e) => setCallCapacity(e.target.value)} />
          </Field>
        )}
      </div>
      <fieldset className="fd-admin-fieldset">
        <legend>{s.mediaLegend}</legend>
        {MEDIA_TYPES.map((m) => (
          <Checkbox key={m} label={mediaLabel(m)} checked={mediaTypes.includes(m)} onChange={(on) => setMediaTypes(on ? [...mediaTypes, m] : mediaTypes.filter((x) => x !== m))} />
        ))}
        {takesCalls && <p className="fd-field__hint">{s.mediaHint}</p>}
        {errors.mediaTypes && <p className="fd-field__error" role="alert">{errors.mediaTypes}</p>}
      </fieldset>
      {agent && <Checkbox label={t.disabledCheck} checked={disabled} onChange={setDisabled} />}
      <div className="fd-admin-actions">
        <Button type="submit" variant="primary" isBusy={isSaving}>{agent ? t.save : t.create}</Button>
        <Button onClick={onCancel}>{common.cancel}</Button>
      </div>
    </form>
  );
}
