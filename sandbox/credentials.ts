// Fixed sandbox credentials: the app's default connection and the tests use them.
import { seededSid } from './ids';

export const SANDBOX_CREDENTIALS: {
  twilio: { accountSid: string; authToken: string };
  rest: { bearerToken: string } | null;
  genesys: { bearerToken: string };
} = {
  twilio: { accountSid: seededSid('AC', 'account'), authToken: 'sandbox-auth-token' },
  // The generic REST family is open (no auth), like many internal admin APIs.
  rest: null,
  genesys: { bearerToken: 'sandbox-genesys-token' },
};
