/**
 * Named condition-expression fragments (modelled on Powertools' DynamoDBPersistenceLayer, which
 * names its conditions instead of inlining them): what each write requires of the item it touches.
 */

/** Condition that an item exists. */
export const itemExists = 'attribute_exists(PK)';
/** Condition that an item does not exist yet (create, unique marker). */
export const itemDoesNotExist = 'attribute_not_exists(PK)';
/** Condition that a live resource item holds the version the caller read. */
export const versionMatches = 'attribute_exists(PK) AND version = :expectedVersion AND attribute_not_exists(deleting)';
/** Condition that a live resource item exists (not being deleted). */
export const resourceIsLive = 'attribute_exists(PK) AND attribute_not_exists(deleting)';
/** Condition that a unique marker still belongs to the resource (so a swap never deletes another's marker). */
export const markerOwnedBy = 'attribute_exists(PK) AND id = :ownerId';
/** Condition that a marker is absent or ours: deleting it never frees another resource's name. */
export const markerAbsentOrOwnedBy = `attribute_not_exists(PK) OR (${markerOwnedBy})`;
