// Hash navigation (kept apart from main.tsx so pages can import it without a cycle).
export const navigate = (hash: string): void => {
  location.hash = hash;
};
