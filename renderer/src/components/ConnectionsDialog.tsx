import { useRef, useState } from 'react';
import type {
  AuthInput,
  ConnectionInput,
  ConnectionView,
  ProfileInfo,
} from '../../../shared/api/types';
import { errorWords } from '../session/error-words';
import { api } from '../lib/api';
import { CONNECTION_PRESETS } from '../lib/connection-presets';
import { useDesk } from '../store';
import { Dialog } from './Dialog';
import { inBackground } from '../store/background';
import { reasonOf } from '../store/failures';

type Form = {
  id?: string;
  name: string;
  profileId: string;
  baseUrl: string;
  params: Record<string, string>;
  authKind: AuthInput['kind'];
  username: string;
  header: string;
  secret: string;
  hasSecret: boolean;
  customProfile: string;
};

const CUSTOM = '__custom__';

/** Twilio's APIs take Basic (Account SID and Auth Token); a new connection to them starts there. */
const defaultAuthKind = (profile: ProfileInfo | undefined): AuthInput['kind'] =>
  profile?.family.startsWith('twilio') ? 'basic' : 'none';

const emptyForm = (profile: ProfileInfo | undefined): Form => ({
  name: '',
  profileId: profile?.id ?? 'rest-etag',
  baseUrl: 'https://',
  params: {},
  authKind: defaultAuthKind(profile),
  username: '',
  header: 'X-Api-Key',
  secret: '',
  hasSecret: false,
  customProfile: '',
});

function formOf(c: ConnectionView): Form {
  return {
    id: c.id,
    name: c.name,
    profileId: c.hasCustomProfile ? CUSTOM : c.profileId,
    baseUrl: c.baseUrl,
    params: { ...c.params },
    authKind: c.auth.kind,
    username: c.auth.username ?? '',
    header: c.auth.header ?? 'X-Api-Key',
    secret: '',
    hasSecret: c.auth.hasSecret,
    customProfile: '',
  };
}

export function ConnectionsDialog() {
  const connections = useDesk((s) => s.connections);
  const profiles = useDesk((s) => s.profiles);
  const save = useDesk((s) => s.saveConnection);
  const remove = useDesk((s) => s.removeConnection);
  const close = useDesk((s) => s.openDialog);
  const activeId = useDesk((s) => s.activeConnectionId);
  const select = useDesk((s) => s.selectConnection);
  const ask = useDesk((s) => s.ask);
  const builtIn = profiles.filter((p) => p.builtIn);
  const nameField = useRef<HTMLInputElement>(null);
  const [form, setForm] = useState<Form>(() => {
    const active = connections.find((c) => c.id === activeId);
    return active ? formOf(active) : emptyForm(builtIn[0]);
  });
  const [status, setStatus] = useState<{ tone: 'ok' | 'error' | 'info'; text: string } | null>(
    null,
  );
  // What the form held when it was loaded or saved: closing with other text asks first.
  const [pristine, setPristine] = useState(() => JSON.stringify(form));
  const load = (next: Form) => {
    setForm(next);
    setPristine(JSON.stringify(next));
    setStatus(null);
  };
  const canClose = async () =>
    JSON.stringify(form) === pristine ||
    ask({
      title: 'Drop the changes typed here?',
      body: 'The changes typed in this connection are not saved.',
      confirm: 'Drop them',
      danger: true,
    });
  const existing = connections.find((c) => c.id === form.id);
  const profile = profiles.find((p) => p.id === form.profileId);
  const set = (change: Partial<Form>) => setForm((f) => ({ ...f, ...change }));

  /** The form as a connection input; the error names what is wrong with it. */
  const inputOf = (): { ok: true; value: ConnectionInput } | { ok: false; error: string } => {
    let customProfile: unknown;
    let profileId = form.profileId;
    if (form.profileId === CUSTOM) {
      if (!form.customProfile.trim() && existing?.hasCustomProfile) {
        profileId = existing.profileId;
      } else {
        try {
          customProfile = JSON.parse(form.customProfile);
          profileId = String((customProfile as { id?: unknown }).id ?? '');
        } catch (error) {
          return {
            ok: false,
            error: `The custom profile is not valid JSON: ${(error as Error).message}`,
          };
        }
      }
    }
    const secret = form.secret === '' ? undefined : form.secret;
    const auth: AuthInput =
      form.authKind === 'basic'
        ? {
            kind: 'basic',
            username: form.username,
            ...(secret !== undefined ? { password: secret } : {}),
          }
        : form.authKind === 'bearer'
          ? { kind: 'bearer', ...(secret !== undefined ? { token: secret } : {}) }
          : form.authKind === 'api-key-header'
            ? {
                kind: 'api-key-header',
                header: form.header,
                ...(secret !== undefined ? { key: secret } : {}),
              }
            : form.authKind === 'query'
              ? { kind: 'query', ...(secret !== undefined ? { query: secret } : {}) }
              : { kind: 'none' };
    return {
      ok: true,
      value: {
        ...(form.id ? { id: form.id } : {}),
        name: form.name || 'Unnamed',
        profileId,
        baseUrl: form.baseUrl,
        params: form.params,
        auth,
        ...(customProfile !== undefined ? { customProfile } : {}),
      },
    };
  };

  const submit = async () => {
    setStatus(null);
    const input = inputOf();
    if (!input.ok) {
      setStatus({ tone: 'error', text: input.error });
      return;
    }
    // A new secret is tried before it replaces anything: a wrong one is caught here, not at the next list.
    if (form.secret !== '' && form.authKind !== 'none') {
      setStatus({ tone: 'info', text: 'Testing the new credentials before saving…' });
      const tested = await api.testConnection({ connection: input.value });
      if (tested.kind !== 'ok' && (tested.status === 401 || tested.status === 403)) {
        setStatus({ tone: 'error', text: `Not saved: ${errorWords(tested)}` });
        return;
      }
    }
    const result = await save(input.value);
    if (!result.ok) {
      setStatus({ tone: 'error', text: result.error });
      return;
    }
    load(formOf(result.connection));
    setStatus({ tone: 'ok', text: 'Saved. Secrets are stored encrypted and never shown again.' });
  };

  /** A call that never reached the backend: said in the form's status line; what was typed stays. */
  const unreached = (error: unknown) =>
    setStatus({
      tone: 'error',
      text: `The app could not reach its backend: ${reasonOf(error)}. Nothing typed here is lost.`,
    });

  // Tests what the form says now — a new token is tested before it replaces the saved one.
  const test = async () => {
    const input = inputOf();
    if (!input.ok) {
      setStatus({ tone: 'error', text: input.error });
      return;
    }
    setStatus({ tone: 'info', text: 'Testing these settings…' });
    const result = await api.testConnection({ connection: input.value });
    const unsaved = !existing ? ' (not saved yet)' : '';
    setStatus(
      result.kind === 'ok'
        ? { tone: 'ok', text: `${result.message}${unsaved}` }
        : { tone: 'error', text: errorWords(result) },
    );
  };

  return (
    <Dialog
      title="Connections"
      onClose={() => close(null)}
      canClose={canClose}
      wide
      testId="connections-dialog"
    >
      <div className="connections-layout">
        <ul className="connection-list" aria-label="Saved connections">
          {connections.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className={`link-row${c.id === form.id ? ' selected' : ''}`}
                onClick={() =>
                  inBackground(
                    canClose().then((yes) => (yes ? load(formOf(c)) : undefined)),
                    'switch connections',
                  )
                }
              >
                <span className="ellipsis">{c.name}</span>
                <span className="muted small ellipsis">{c.profileLabel}</span>
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                inBackground(
                  canClose().then((yes) => (yes ? load(emptyForm(builtIn[0])) : undefined)),
                  'start a new connection',
                )
              }
            >
              + New connection
            </button>
          </li>
        </ul>
        <form
          className="connection-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit().catch(unreached);
          }}
        >
          {!form.id ? (
            <label>
              Start from a preset
              <select
                value=""
                data-testid="conn-preset"
                onChange={(e) => {
                  const preset = CONNECTION_PRESETS.find((p) => p.id === e.target.value);
                  if (preset)
                    set({
                      name: preset.name,
                      profileId: preset.profileId,
                      baseUrl: preset.baseUrl,
                      params: { ...preset.params },
                      authKind: preset.authKind,
                      username: preset.username ?? '',
                      secret: '',
                    });
                  if (preset) setStatus({ tone: 'info', text: preset.hint });
                }}
              >
                <option value="">Choose a server…</option>
                {CONNECTION_PRESETS.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label>
            Name
            <input
              value={form.name}
              onChange={(e) => set({ name: e.target.value })}
              required
              data-testid="conn-name"
              ref={nameField}
            />
          </label>
          <label>
            Profile
            <select
              value={form.profileId}
              onChange={(e) => {
                const next = profiles.find((p) => p.id === e.target.value);
                // A new connection follows the profile's usual credentials until the operator picks others.
                set({
                  profileId: e.target.value,
                  ...(!form.id && form.secret === '' ? { authKind: defaultAuthKind(next) } : {}),
                });
              }}
              data-testid="conn-profile"
            >
              {builtIn.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
              <option value={CUSTOM}>Custom profile (JSON)…</option>
            </select>
          </label>
          {profile ? <p className="muted small">{profile.description}</p> : null}
          {form.profileId === CUSTOM ? (
            <label>
              Custom profile (JSON)
              <textarea
                rows={8}
                spellCheck={false}
                value={form.customProfile}
                onChange={(e) => set({ customProfile: e.target.value })}
                placeholder={
                  existing?.hasCustomProfile
                    ? 'Saved — paste a new one to replace it'
                    : '{ "id": "my-api", "label": "…", … }'
                }
              />
            </label>
          ) : null}
          <label>
            Base URL
            <input
              value={form.baseUrl}
              onChange={(e) => set({ baseUrl: e.target.value })}
              disabled={existing?.isSandbox}
              data-testid="conn-url"
            />
          </label>
          {(profile?.params ?? []).map((p) => (
            <label key={p.name}>
              {p.label}
              <input
                value={form.params[p.name] ?? ''}
                placeholder={p.placeholder}
                onChange={(e) => set({ params: { ...form.params, [p.name]: e.target.value } })}
              />
            </label>
          ))}
          <fieldset>
            <legend>Credentials</legend>
            <select
              value={form.authKind}
              onChange={(e) => set({ authKind: e.target.value as AuthInput['kind'], secret: '' })}
              aria-label="Authentication"
              data-testid="conn-auth"
            >
              <option value="none">None</option>
              <option value="basic">Basic (user and password / Account SID and Auth Token)</option>
              <option value="bearer">Bearer token</option>
              <option value="api-key-header">API key in a header</option>
              <option value="query">Credential in the query string (Azure SAS, api_key=…)</option>
            </select>
            {form.authKind === 'basic' ? (
              <label>
                User
                <input
                  value={form.username}
                  onChange={(e) => set({ username: e.target.value })}
                  autoComplete="off"
                />
              </label>
            ) : null}
            {form.authKind === 'api-key-header' ? (
              <label>
                Header
                <input value={form.header} onChange={(e) => set({ header: e.target.value })} />
              </label>
            ) : null}
            {form.authKind !== 'none' ? (
              <label>
                {form.authKind === 'basic'
                  ? 'Password'
                  : form.authKind === 'bearer'
                    ? 'Token'
                    : form.authKind === 'query'
                      ? 'Query string (name=value&…, sent with every request)'
                      : 'Key'}
                <input
                  type="password"
                  autoComplete="new-password"
                  value={form.secret}
                  onChange={(e) => set({ secret: e.target.value })}
                  placeholder={form.hasSecret ? 'Saved — leave empty to keep it' : ''}
                  data-testid="conn-secret"
                />
              </label>
            ) : null}
          </fieldset>
          {status ? (
            <div
              className={`banner ${status.tone}`}
              role={status.tone === 'error' ? 'alert' : 'status'}
              data-testid="conn-status"
            >
              {status.text}
            </div>
          ) : null}
          <div className="row gap">
            <button type="submit" data-testid="conn-save">
              Save
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => test().catch(unreached)}
              data-testid="conn-test"
              title="Tests the settings as typed, before saving"
            >
              Test
            </button>
            {form.id ? (
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  inBackground(
                    canClose().then((yes) => {
                      if (yes) {
                        select(form.id!);
                        close(null);
                      }
                    }),
                    'browse the connection',
                  )
                }
              >
                Browse
              </button>
            ) : null}
            {form.id ? (
              <button
                type="button"
                className="danger secondary"
                onClick={() =>
                  inBackground(
                    (async () => {
                      if (
                        !(await ask({
                          title: `Remove “${form.name}”?`,
                          body: 'Its drafts are discarded; the revision journal is kept.',
                          confirm: 'Remove',
                          danger: true,
                        }))
                      )
                        return;
                      const error = await remove(form.id!);
                      if (error) setStatus({ tone: 'error', text: error });
                      else {
                        load(emptyForm(builtIn[0]));
                        setStatus({ tone: 'info', text: 'Removed.' });
                        // This button leaves with the connection, dropping the keyboard on
                        // <body>: it goes to the new, empty form's first field.
                        nameField.current?.focus();
                      }
                    })(),
                    'remove the connection',
                  )
                }
              >
                Remove
              </button>
            ) : null}
          </div>
        </form>
      </div>
    </Dialog>
  );
}
