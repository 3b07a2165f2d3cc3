import type { TestProject } from 'vitest/node';
import { startWebhookReceiver } from './webhook-receiver.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the Worker tests' webhook receiver listens (test/support/webhook-receiver.ts). */
    webhookReceiverUrl: string;
  }
}

/** Global setup of the workers project: one webhook receiver for every test file, stopped after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const receiver = await startWebhookReceiver();
  project.provide('webhookReceiverUrl', receiver.url);
  return () => receiver.close();
}
