import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Aspects, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** Runs cdk-nag's AwsSolutions pack on the stack; its findings (errors and warnings) left unsuppressed, one line each. */
export function nagFindings(stack: Stack): string[] {
  Aspects.of(stack).add(new AwsSolutionsChecks());
  const messages = [
    ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
  ];
  return messages.map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0]}`);
}
