// What one step of a handler yields: the value it read or found, or the response that ends the
// request (a 4xx naming the problem). Tagged, so that a client's data can never pass for a
// response by its shape (a Sync document may well have `status` and `body` fields).
import type { SandboxResponse } from './http';

export type Outcome<T> = { ok: true; value: T } | { ok: false; response: SandboxResponse };

export const proceed = <T>(value: T): Outcome<T> => ({ ok: true, value });

export const refuse = (response: SandboxResponse): Outcome<never> => ({ ok: false, response });
