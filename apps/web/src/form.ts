import { ref, shallowRef } from 'vue';
import { ApiProblem, NetworkFailure, api } from './api/client';
import type { WriteAnswer } from './api/types';
import { translate } from './i18n';
import { Intent } from './logic/intent';
import { problemToForm, type FormProblems } from './logic/problems';

/**
 * A form's write: one Idempotency-Key per intent (kept across a double click or a retry after a network
 * failure), the API's problem document mapped field by field, and busy/sent state for the button.
 */
export function useWrite() {
  const intent = new Intent();
  const problems = ref<FormProblems | undefined>(undefined);
  const busy = ref(false);
  const networkError = ref(false);

  async function send<T extends WriteAnswer>(path: string, body: unknown): Promise<T | undefined> {
    const key = intent.keyFor({ path, body });
    busy.value = true;
    networkError.value = false;
    try {
      const answer = await api.post<T>(path, body, key);
      intent.settle();
      problems.value = undefined;
      return answer;
    } catch (error) {
      if (error instanceof ApiProblem) {
        intent.settle();
        problems.value = problemToForm(error.problem, translate);
      } else if (error instanceof NetworkFailure) {
        networkError.value = true;
        problems.value = { fields: {}, summary: translate('ui.networkRetry') ?? error.message };
      } else throw error;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { send, problems, busy, networkError };
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
