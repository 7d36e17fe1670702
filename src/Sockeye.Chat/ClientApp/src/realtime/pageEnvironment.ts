/** What the connection needs to know about the page: whether anyone is looking, and whether there is a network. */
export interface PageEnvironment {
  isVisible(): boolean;
  isOnline(): boolean;
  /** Calls `listener` when either changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export const browserEnvironment: PageEnvironment = {
  isVisible: () => document.visibilityState !== "hidden",
  // navigator.onLine is only trustworthy when false: true means "some network", not "the server is reachable".
  isOnline: () => navigator.onLine !== false,
  subscribe(listener) {
    document.addEventListener("visibilitychange", listener);
    window.addEventListener("online", listener);
    window.addEventListener("offline", listener);
    return () => {
      document.removeEventListener("visibilitychange", listener);
      window.removeEventListener("online", listener);
      window.removeEventListener("offline", listener);
    };
  },
};
