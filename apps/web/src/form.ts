import { ref, shallowRef, toRaw, type ShallowRef } from 'vue';
import { ApiProblem, NetworkFailure, api } from './api/client';
import type { WriteAnswer } from './api/types';
import { translate } from './i18n';
import { Intent } from './logic/intent';
import { problemToForm, withoutField, type FormProblems } from './logic/problems';

/** Which form's state each problems object shown belongs to, so a field can clear its own messages. */
const owners = new WeakMap<FormProblems, (field: string) => void>();

/**
 * The user edited `field` (FormField calls this on every input or change inside it): the messages about
 * the value it had go at once, not at the next submit (see withoutField). Any form whose problems come
 * from useProblems (useWrite, useDocument) gets it.
 */
export function fieldEdited(problems: FormProblems | undefined, field: string): void {
  if (problems) owners.get(toRaw(problems))?.(field);
}

/**
 * A form's problems: shown with `show`, a field's cleared when it is edited — through FormField, or for
 * inputs outside one by `edited` on the form's input/change events (the input's `name` is the field).
 */
export function useProblems(): {
  problems: ShallowRef<FormProblems | undefined>;
  show: (next: FormProblems | undefined) => void;
  clearField: (field: string) => void;
  edited: (event: Event) => void;
} {
  const problems = shallowRef<FormProblems | undefined>(undefined);
  function show(next: FormProblems | undefined): void {
    if (next) owners.set(next, clearField);
    problems.value = next;
  }
  function clearField(field: string): void {
    const next = withoutField(problems.value, field);
    if (next !== problems.value) show(next);
  }
  function edited(event: Event): void {
    const name = (event.target as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && name !== '') clearField(name);
  }
  return { problems, show, clearField, edited };
}

/**
 * A form's write: one Idempotency-Key per intent (kept across a double click or a retry after a network
 * failure), the API's problem document mapped field by field, and busy/sent state for the button.
 */
export function useWrite() {
  const intent = new Intent();
  const { problems, show, clearField, edited } = useProblems();
  const busy = ref(false);
  const networkError = ref(false);

  async function send<T extends WriteAnswer>(path: string, body: unknown): Promise<T | undefined> {
    const key = intent.keyFor({ path, body });
    busy.value = true;
    networkError.value = false;
    try {
      const answer = await api.post<T>(path, body, key);
      intent.settle();
      show(undefined);
      return answer;
    } catch (error) {
      if (error instanceof ApiProblem) {
        intent.settle();
        show(problemToForm(error.problem, translate));
      } else if (error instanceof NetworkFailure) {
        networkError.value = true;
        show({ fields: {}, summary: translate('ui.networkRetry') ?? error.message });
      } else throw error;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { send, problems, busy, networkError, clearField, edited };
}

/** A read's state: data, loading, the problem (mapped to a message). */
export function useRead<T>() {
  const data = shallowRef<T | undefined>(undefined);
  const loading = ref(false);
  const error = ref<string | undefined>(undefined);
  async function load(read: () => Promise<T>): Promise<T | undefined> {
    loading.value = true;
    error.value = undefined;
    try {
      data.value = await read();
      return data.value;
    } catch (problem) {
      error.value =
        problem instanceof ApiProblem ? problemToForm(problem.problem, translate).summary : String(problem);
      return undefined;
    } finally {
      loading.value = false;
    }
  }
  return { data, loading, error, load };
}
