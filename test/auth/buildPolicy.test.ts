import { describe, it, expect } from 'vitest';
import { stageArn } from '../../lambdas/auth/buildPolicy';

describe('stageArn', () => {
  it('keeps the stage of a method ARN whose path holds colons (/Schemas/urn:...)', () => {
    const arn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User';
    expect(stageArn(arn)).toBe('arn:aws:execute-api:eu-west-1:123456789012:abc123/prod');
  });

  it('rejects an ARN of another service', () => {
    expect(stageArn('arn:aws:lambda:eu-west-1:123456789012:function:x')).toBeUndefined();
  });
});
