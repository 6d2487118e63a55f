import { AccessDeniedError, FORWARDS, START, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { StoreServerRefused } from '../errors';

/** The gRPC method multi-stream append is (streams.proto v2, KurrentDB 25.1 and later). */
export const APPEND_SESSION_METHOD = '/kurrentdb.protocol.v2.streams.StreamsService/AppendSession';

/**
 * What the client learns from the server's ServerFeatures service (Core Transport/Grpc/ServerFeatures.cs:
 * the version and every gRPC method it serves). Client 1.3.1 reads it through its `capabilities`
 * getter, which it declares protected and uses itself (multiStreamAppend checks `supports(AppendSession)`
 * before sending, createPersistentSubscriptionToAll compares `serverVersion`); there is no public call,
 * so this is the narrow view of it the adapter relies on.
 */
export interface ServerFeaturesView {
  readonly capabilities: Promise<{
    readonly serverVersion: string;
    supports(method: { readonly path: string }, feature?: string): boolean;
  }>;
}

export interface ServerDescription {
  readonly version: string;
  readonly multiStreamAppend: boolean;
}

export async function describeServer(client: KurrentDBClient): Promise<ServerDescription> {
  const features = await (client as unknown as ServerFeaturesView).capabilities;
  return {
    version: features.serverVersion,
    multiStreamAppend: features.supports({ path: APPEND_SESSION_METHOD }),
  };
}

/** The line an operator reads when the user of the connection string may not read $all. */
export function allAccessDenied(cause: unknown): StoreServerRefused {
  return new StoreServerRefused(
    'KurrentDB denied reading $all: the user of KURRENTDB_URL must be in $admins (the default ACL of $all on a secure cluster) or be granted read on $all',
    { cause },
  );
}

/**
 * Refuses a server this ledger cannot run on, in one line each: one without multi-stream append (before
 * 25.1 a multi-stream command would be written one stream after another: no silent fallback), and a
 * user that may not read $all (every projection and subscription reads it).
 */
export async function verifyServer(client: KurrentDBClient): Promise<ServerDescription> {
  const server = await describeServer(client);
  if (!server.multiStreamAppend) {
    throw new StoreServerRefused(
      `KurrentDB ${server.version} has no multi-stream append (KurrentDB 25.1 or later is needed): refusing to write a command's streams one after another`,
    );
  }
  try {
    for await (const _event of client.readAll({ fromPosition: START, direction: FORWARDS, maxCount: 1 }))
      break;
  } catch (error) {
    if (error instanceof AccessDeniedError) throw allAccessDenied(error);
    throw error;
  }
  return server;
}
