// Twilio's legacy error body. Never add `type`+`title`: twilio-node would then throw
// TwilioServiceException instead of RestException (reference §4).
import { json } from './http';
import type { SandboxResponse } from './http';

export function twilioError(status: number, code: number, message: string): SandboxResponse {
  return json(status, {
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

export const twilioNotFound = (path: string, code = 20404): SandboxResponse =>
  // Twilio names the path as seen on its own host, without our /taskrouter or /sync prefix.
  twilioError(
    404,
    code,
    `The requested resource ${path.replace(/^\/(taskrouter|sync)(?=\/v1\/)/, '')} was not found`,
  );

export const twilioPreconditionFailed = (code = 20412): SandboxResponse =>
  twilioError(412, code, 'Precondition Failed');

export const twilioBadRequest = (message: string, code = 20001): SandboxResponse =>
  twilioError(400, code, message);

export const twilioPreconditionRequired = (): SandboxResponse =>
  twilioError(
    428,
    20428,
    'Precondition Required: this sandbox requires an If-Match header on writes (switch requirePrecondition). Fetch the resource and resend with If-Match: <ETag>.',
  );
