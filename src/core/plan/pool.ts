// The plan's files fan out with mapLimit; its requests go through the client's shared pool (core/api/pool.ts).
export { mapLimit } from '../api/pool';
