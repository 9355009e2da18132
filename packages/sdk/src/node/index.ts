export {
  createEmbedToken,
  maxEmbedTokenLifetimeSeconds,
  type EmbedTokenOptions,
} from './embed-token.js';
