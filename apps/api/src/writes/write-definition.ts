import type { Type } from '@nestjs/common';
import type { JsonObject } from '@wasteflow/event-store';
import type { InputOf, UseCase, UseCaseOf, UseCaseType } from '@wasteflow/ledger';
import type { WriteResponseDto } from '../common/openapi';
import type { PATH_PARAMS, PathParamName } from '../common/path-params';

/** A path parameter of a write route and the input field it fills (a bulk item carries that field). */
export interface PathParam {
  /** `{name}` in the route template; read by its pipe in PATH_PARAMS (common/path-params.ts). */
  readonly name: string;
  readonly field: string;
  /** What OpenAPI shows of it. */
  readonly example: string;
  readonly description?: string;
}

/** A path parameter's OpenAPI example and description on one route, when not its usual ones. */
export interface PathParamDocs {
  readonly example?: string;
  readonly description?: string;
}

type ParamNamesOf<R extends string> = R extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamNamesOf<Rest>
  : never;

/** The input fields a route's path parameters fill: `POST /v1/batches/{code}/split` → `'traceCode'`. */
export type ParamFieldsOf<R extends string> = {
  [N in ParamNamesOf<R>]: N extends PathParamName ? (typeof PATH_PARAMS)[N]['field'] : never;
}[ParamNamesOf<R>];

export type ResultOf<T extends UseCaseType> = UseCaseOf<T> extends UseCase<never, infer R> ? R : JsonObject;

/**
 * The HTTP side of one write use case, read by its generated route (writes/write-controller.ts), by
 * POST /v1/commands, by OpenAPI and by the docs. Who may call it is the use case's `allowed`.
 */
export interface WriteDefinition<T extends UseCaseType = UseCaseType> {
  readonly type: T;
  /**
   * Method and route template. The request hash of the idempotency records covers it (with the path
   * parameters and the body): changing it for an existing use case makes every retry a 422.
   */
  readonly route: `POST /v1/${string}`;
  /** The OpenAPI tag. */
  readonly tag: string;
  /** The body: a class-validator DTO with its @ApiProperty decorators (the same class for both). */
  readonly body: Type<object>;
  /**
   * Offered in POST /v1/commands: an item's body is the body plus its path parameters' fields, each
   * checked by its parameter's rule (writes/bulk-item.ts).
   */
  readonly bulk: boolean;
  /** The 201 body beyond the write fields: a DTO extending WriteResponseDto. */
  readonly response: Type<WriteResponseDto>;
  readonly summary: string;
  readonly description?: string;
  /**
   * The path parameters are the route's `{names}` (PATH_PARAMS, common/path-params.ts); here only the
   * OpenAPI example or description of one on this route, when not its usual one.
   */
  readonly paramDocs?: Readonly<Record<string, PathParamDocs>>;
  /** OpenAPI examples of the body (`@ApiBody` examples). */
  readonly examples?: Readonly<Record<string, { readonly summary?: string; readonly value: unknown }>>;
  /** After a successful write (not a refusal): e.g. forget a revoked token in this instance at once. */
  readonly after?: (input: InputOf<T>, get: <S>(service: Type<S>) => S) => void;
}

type KeysMissing<Have, Want> = Exclude<keyof Want, keyof Have>;
type Lacking<Name extends string, Missing> = [Missing] extends [never]
  ? unknown
  : { readonly [K in Name]: Missing };

/**
 * The type checks of a definition: the body DTO with the path parameters' fields (a bulk item's body)
 * gives every field of the use case's input; the response DTO declares every field of its result. So
 * neither the input nor the answer can drift from what the validation and OpenAPI say.
 */
type Checked<T extends UseCaseType, F extends string, B, R> = Lacking<
  'bodyDtoLacks',
  KeysMissing<B & Record<F, unknown>, InputOf<T>>
> &
  Lacking<'responseDtoLacks', KeysMissing<R, ResultOf<T>>>;

/** A write use case's HTTP definition, checked against its ledger use case (see `Checked`). */
export function defineWrite<
  T extends UseCaseType,
  B extends object,
  R extends WriteResponseDto,
  Route extends WriteDefinition['route'],
>(
  definition: WriteDefinition<T> & {
    readonly route: Route;
    readonly body: Type<B>;
    readonly response: Type<R>;
  } & Checked<T, ParamFieldsOf<Route>, B, R>,
): WriteDefinition<T> {
  return definition;
}
