import { readonly, ref } from "vue";

export interface Toast {
  id: number;
  /** The error code; a toast with the same code replaces the one shown, so a burst shows one toast. */
  code: string;
  text: string;
}

export function createToasts(lifetimeMs = 6000) {
  const toasts = ref<Toast[]>([]);
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let nextId = 0;

  function dismiss(id: number) {
    clearTimeout(timers.get(id));
    timers.delete(id);
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  function show(code: string, text: string) {
    const previous = toasts.value.find((t) => t.code === code);
    if (previous !== undefined) {
      dismiss(previous.id);
    }
    const toast: Toast = { id: ++nextId, code, text };
    toasts.value = [...toasts.value, toast].slice(-4);
    timers.set(toast.id, setTimeout(() => dismiss(toast.id), lifetimeMs));
  }

  return { toasts: readonly(toasts), show, dismiss };
}

export type Toasts = ReturnType<typeof createToasts>;
