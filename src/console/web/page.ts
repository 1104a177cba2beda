// What every page gets, and the one-shot success message carried across a navigation.
import type { ApiClient } from './api.js';

export interface PageProps {
  api: ApiClient;
  region: string;
}

let pending: string | undefined;
/** A message for the next page shown (e.g. "Successfully created key pair" after the form). */
export const flash = {
  set(text: string): void {
    pending = text;
  },
  take(): string | undefined {
    const t = pending;
    pending = undefined;
    return t;
  },
};
