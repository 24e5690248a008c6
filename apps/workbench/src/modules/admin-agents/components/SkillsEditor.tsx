import type { Agent, Queue, QueueGroup } from '@frontdesk/protocol';
import type { AdminApi, AgentSkillsView } from '@frontdesk/sdk-agent';
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import { errorsUnder, formErrorsOf, unplacedErrors, type FieldErrors } from '../../admin/state/form-errors.ts';
import { Checkbox } from '../../admin/components/Checkbox.tsx';
import { useFocusFirstError } from '../../admin/hooks/useFocusFirstError.ts';
import { FormAlert } from '../../admin/components/FormAlert.tsx';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../../admin/locales/index.ts';
import { agentAdminStrings } from '../locales/index.ts';

interface SkillRow { queueId: string; level: string; isDefault: boolean }
interface GroupRow { queueGroupId: string; level: string }

export interface SkillsEditorProps {
  api: AdminApi;
  agent: Agent;
  queues: readonly Queue[];
  queueGroups: readonly QueueGroup[];
  onSaved: (skills: AgentSkillsView) => void;
  onCancel: () => void;
}

/** An agent's skills (SPEC M17): queues with a level 1–5 and one default, queue groups, and a priority 0–100. */
export function SkillsEditor({ api, agent, queues, queueGroups, onSaved, onCancel }: SkillsEditorProps) {
  const [skills, setSkills] = useState<SkillRow[]>([]);
  const [groups, setGroups] = useState<GroupRow[]>([]);
  const [priority, setPriority] = useState('0');
  const [errors, setErrors] = useState<FieldErrors>({});
  const { formRef, arm } = useFocusFirstError(errors);
  const [isLoaded, setLoaded] = useState(false);
  const t = agentAdminStrings();
  const { common } = adminStrings();

  useEffect(() => {
    api.agents.skills(agent.id).then(
      (s) => {
        setSkills(s.skills.map((k) => ({ queueId: k.queueId, level: String(k.level), isDefault: k.isDefault })));
        setGroups(s.queueGroups.map((g) => ({ queueGroupId: g.queueGroupId, level: String(g.level) })));
        setPriority(String(s.priority));
        setLoaded(true);
      },
      (err: unknown) => setErrors(formErrorsOf(err)),
    );
  }, [api, agent.id]);

  const skillOf = (queueId: string) => skills.find((s) => s.queueId === queueId);
  const groupOf = (id: string) => groups.find((g) => g.queueGroupId === id);

  async function submit(event: FormEvent) {
    event.preventDefault();
    arm();
    const found: FieldErrors = {};
    skills.forEach((s, i) => {
      const level = Number(s.level);
      if (!Number.isInteger(level) || level < 1 || level > 5) found[`skills.${i}.level`] = t.badLevel;
    });
    if (skills.filter((s) => s.isDefault).length > 1) found.skills = t.oneDefault;
    const p = Number(priority);
    if (!Number.isInteger(p) || p < 0 || p > 100) found.priority = t.badPriority;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      onSaved(
        await api.agents.setSkills(agent.id, {
          skills: skills.map((s) => ({ queueId: s.queueId, level: Number(s.level), isDefault: s.isDefault })),
          queueGroups: groups.map((g) => ({ queueGroupId: g.queueGroupId, level: Number(g.level) })),
          priority: p,
        }),
      );
    } catch (err) {
      setErrors(formErrorsOf(err));
    }
  }

  if (!isLoaded) return <FormAlert messages={unplacedErrors(errors, [])} />;

  return (
    <form ref={formRef} className="fd-admin-form" onSubmit={submit} noValidate aria-label={format(t.skillsLabel, { email: agent.email })}>
      <FormAlert messages={unplacedErrors(errors, ['skills', 'queueGroups', 'priority'])} />
      {errors.skills && <p className="fd-field__error" role="alert">{errors.skills}</p>}
      <fieldset className="fd-admin-fieldset">
        <legend>{t.queuesLegend}</legend>
        {queues.length === 0 && <p className="fd-field__hint">{t.noQueue}</p>}
        {queues.map((queue) => {
          const skill = skillOf(queue.id);
          const index = skills.findIndex((s) => s.queueId === queue.id);
          return (
            <div className="fd-admin-row" key={queue.id}>
              <Checkbox
                label={queue.name}
                checked={skill !== undefined}
                onChange={(on) => setSkills(on ? [...skills, { queueId: queue.id, level: '3', isDefault: skills.length === 0 }] : skills.filter((s) => s.queueId !== queue.id))}
              />
              {skill && (
                <>
                  <Field label={format(t.levelFor, { name: queue.name })} error={errorsUnder(errors, `skills.${index}`).level}>
                    <input type="number" min={1} max={5} value={skill.level} onChange={(e) => setSkills(skills.map((s) => (s.queueId === queue.id ? { ...s, level: e.target.value } : s)))} />
                  </Field>
                  <Checkbox
                    label={t.defaultSkill}
                    checked={skill.isDefault}
                    onChange={(on) => setSkills(skills.map((s) => ({ ...s, isDefault: s.queueId === queue.id ? on : on ? false : s.isDefault })))}
                  />
                </>
              )}
            </div>
          );
        })}
      </fieldset>
      <fieldset className="fd-admin-fieldset">
        <legend>{common.queueGroups}</legend>
        {queueGroups.length === 0 && <p className="fd-field__hint">{common.noQueueGroup}</p>}
        {queueGroups.map((group) => {
          const row = groupOf(group.id);
          return (
            <div className="fd-admin-row" key={group.id}>
              <Checkbox label={group.name} checked={row !== undefined} onChange={(on) => setGroups(on ? [...groups, { queueGroupId: group.id, level: '3' }] : groups.filter((g) => g.queueGroupId !== group.id))} />
              {row && (
                <Field label={format(t.levelFor, { name: group.name })}>
                  <input type="number" min={1} max={5} value={row.level} onChange={(e) => setGroups(groups.map((g) => (g.queueGroupId === group.id ? { ...g, level: e.target.value } : g)))} />
                </Field>
              )}
            </div>
          );
        })}
      </fieldset>
      <Field label={t.priority} error={errors.priority} hint={t.priorityHint}>
        <input type="number" value={priority} onChange={(e) => setPriority(e.target.value)} />
      </Field>
      <div className="fd-admin-actions">
        <Button type="submit" variant="primary">{t.saveSkills}</Button>
        <Button onClick={onCancel}>{common.cancel}</Button>
      </div>
    </form>
  );
}
