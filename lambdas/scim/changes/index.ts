/** What a write changed, computed from the stored forms before and after (pure). */
export { changedAttributes } from './changedAttributes';
export { activationChange, type ActivationChange } from './activationChange';
