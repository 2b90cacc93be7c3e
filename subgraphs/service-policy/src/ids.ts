import { z } from 'zod';

const uuid = z.uuid();

/** Whether `id` can be an id of this API (a UUID); anything else matches no row. */
export const isUuid = (id: string) => uuid.safeParse(id).success;
