import type { TestProject } from 'vitest/node';
import { startDynamoLocal, JavaMissingError } from '../lambdas/local/dynamoLocal';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/**
 * Starts one in-memory DynamoDB Local for the whole run; tests create their own tables
 * (see test/support/dynamo.ts) so they cannot see each other's data.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const local = await startDynamoLocal();
    project.provide('dynamoEndpoint', local.endpoint);
    return () => local.stop();
  } catch (e) {
    if (e instanceof JavaMissingError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
