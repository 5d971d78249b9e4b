import { Context } from '@temporalio/activity';

/** The activity this code runs in; undefined outside one (a script, a test). */
export function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
