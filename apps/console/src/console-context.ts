import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client';
import type { Route } from './logic/route';

/** What every screen may use: the API as the signed-in person, who that is, and navigation. */
export interface ConsoleContextValue {
  readonly api: ApiClient;
  readonly email: string | null;
  readonly signOut: () => void;
  readonly navigate: (route: Route) => void;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
}
