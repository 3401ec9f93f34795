/** Size bounds applied by {@link validateResource}; each protects a DynamoDB limit or the Lambda's memory. */
export interface ValidationLimits {
  /** Longest string value, in characters, of any string or reference attribute. */
  readonly maxStringLength: number;
  /**
   * Longest value, in UTF-8 bytes, of attributes that become part of a DynamoDB key (uniqueness
   * markers, lookup items, index keys: `userName`, group `displayName`, `externalId`, and the `value`
   * of multi-valued attributes such as `emails`): a partition key holds at most 2048 bytes.
   */
  readonly maxKeyBytes: number;
  /** Longest base64 text of a binary attribute (an X.509 certificate is typically 1-4 KB). */
  readonly maxBinaryLength: number;
  /** Most values of one multi-valued attribute, `members` excepted. */
  readonly maxMultiValues: number;
  /** Most `members` of a Group in one request (they are stored as separate items, not in the resource item). */
  readonly maxMembers: number;
  /**
   * Longest `display` of a group member, in characters (Entra's own displayName limit). Members are
   * read back by the thousand in one response, so their display names are what bounds its size.
   */
  readonly maxMemberDisplayLength: number;
  /** Largest serialised resource without `members`: a DynamoDB item holds at most 400 KB, keys and bookkeeping included. */
  readonly maxResourceBytes: number;
}

/** The default bounds. */
export const VALIDATION_LIMITS: ValidationLimits = {
  maxStringLength: 16_384,
  maxKeyBytes: 1024,
  maxBinaryLength: 65_536,
  maxMultiValues: 200,
  maxMembers: 100_000,
  maxMemberDisplayLength: 256,
  maxResourceBytes: 300_000,
};
