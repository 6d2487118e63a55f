import { ref } from 'vue';
import { ApiProblem, NetworkFailure, api } from './api/client';
import { translate } from './i18n';
import { useProblems } from './form';
import { problemToForm } from './logic/problems';

/**
 * The documents the API renders — HJ 1276 labels, the 联单 print, the 台账, the annual report, an import's
 * report — are read with the tab's bearer token (ADR 6: a plain link would carry none, and the token is in
 * no cookie), then shown or saved from a blob URL. A refusal is the API's problem document, mapped field
 * by field like a form's write (a 台账 asked for an empty period names `to`).
 */
export function useDocument() {
  const { problems, show, clearField, edited } = useProblems();
  const busy = ref(false);

  async function fetched<T>(read: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    show(undefined);
    try {
      return await read();
    } catch (error) {
      if (error instanceof ApiProblem) show(problemToForm(error.problem, translate));
      else if (error instanceof NetworkFailure) show({ fields: {}, summary: translate('ui.networkRetry') ?? error.message });
      else throw error;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  /** Opens the document in a new tab (to print it); the tab is opened first, as a click's own act. */
  async function open(path: string): Promise<boolean> {
    const tab = window.open('', '_blank');
    const document = await fetched(() => api.document(path));
    if (!document) {
      tab?.close();
      return false;
    }
    const url = URL.createObjectURL(document.blob);
    if (tab) tab.location.href = url;
    else window.location.href = url;
    return true;
  }

  /** Saves the document under the name the API gives it (else `fallbackName`). */
  async function save(path: string, fallbackName: string): Promise<boolean> {
    const document = await fetched(() => api.document(path));
    if (!document) return false;
    const url = URL.createObjectURL(document.blob);
    const link = window.document.createElement('a');
    link.href = url;
    link.download = document.filename ?? fallbackName;
    link.style.display = 'none';
    window.document.body.append(link);
    link.click();
    link.remove();
    // the download has read the blob by then; a minute leaves a slow disk its time
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return true;
  }

  return { open, save, problems, busy, clearField, edited };
}
