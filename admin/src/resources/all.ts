// The record pages, one chunk loaded after sign-in (the sign-in page does not need them).
export { icps } from '../icps';
export { apiKeys } from './apiKeys';
export { invitations } from './invitations';
export { webhooks } from './webhooks';
export * from './index';
