import { Body, Controller, HttpCode, Param, Post, Res, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBody, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LedgerCommands, USE_CASE_ACCESS, type InputOf, type UseCaseType } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { ApiWrite } from '../common/openapi';
import { pathParamRule } from '../common/path-params';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { InvalidRequest } from '../problems/invalid-request.exception';
import type { PathParam, PathParamDocs, WriteDefinition } from './write-definition';

const METHOD = 'write';

/** `POST /v1/batches/{code}/split` → `v1/batches/:code/split` (Nest's path). */
export function nestPathOf(route: string): string {
  const path = route.replace(/^POST \//, '');
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** The `{names}` of a route template, in order. */
export function paramNamesOf(route: string): string[] {
  return [...route.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
}

/** The path parameters of a definition, in the template's order (each one known, no docs left over). */
export function pathParamsOf(definition: {
  readonly type: string;
  readonly route: string;
  readonly paramDocs?: Readonly<Record<string, PathParamDocs>>;
}): PathParam[] {
  const names = paramNamesOf(definition.route);
  const docs = definition.paramDocs ?? {};
  for (const name of Object.keys(docs))
    if (!names.includes(name))
      throw new Error(`${definition.type}: paramDocs names {${name}}, not in ${definition.route}`);
  return names.map((name) => {
    const rule = pathParamRule(name);
    if (!rule) throw new Error(`${definition.type}: unknown path parameter {${name}}`);
    return {
      name,
      field: rule.field,
      example: docs[name]?.example ?? rule.example,
      description: docs[name]?.description ?? rule.description,
    };
  });
}

/** The input of a write: the validated body with each path parameter (canonical) in its field. */
export function inputOf(
  body: object,
  params: readonly PathParam[],
  values: readonly string[],
): Record<string, unknown> {
  const input: Record<string, unknown> = { ...body };
  params.forEach((param, i) => {
    input[param.field] = values[i];
  });
  return input;
}

function pascal(type: string): string {
  return type.replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}

/**
 * The controller of one write use case, built from its definition: `POST <route>` (201), `@Allow` with the
 * use case's token kinds, each path parameter through its pipe, the body through the global validation
 * pipe as the definition's DTO, the envelope (principal, Idempotency-Key, request hash over route template
 * + canonical path parameters + body as sent), the ledger, then X-Ledger-Position and the write body.
 * The handler's parameters are, in order: the write request, the path parameters, the body, the reply —
 * so a missing Idempotency-Key is named before a malformed parameter, and that before the body.
 */
export function writeController<T extends UseCaseType>(definition: WriteDefinition<T>): Type<unknown> {
  const params = pathParamsOf(definition);
  const bodyIndex = 1 + params.length;

  class GeneratedWriteController {
    constructor(
      readonly commands: LedgerCommands,
      readonly moduleRef: ModuleRef,
    ) {}

    async [METHOD](...args: unknown[]): Promise<unknown> {
      const write = args[0] as WriteRequestInfo;
      // the validation pipe reads no body as {}: a write's body is a JSON object even when every field of it
      // is optional (an approval's `note`), so no body at all is refused, as for every other write
      const raw = write.rawBody;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw InvalidRequest.field('body', 'body-required', 'a JSON object is required');
      const values = args.slice(1, bodyIndex) as string[];
      const reply = args[bodyIndex + 1] as FastifyReply;
      const canonical = Object.fromEntries(params.map((param, i) => [param.name, values[i]]));
      const envelope = envelopeOf(write, definition.route, canonical);
      const input = inputOf(args[bodyIndex] as object, params, values) as InputOf<T>;
      const outcome = await this.commands.run(definition.type, envelope, input);
      definition.after?.(input, (service) => this.moduleRef.get(service, { strict: false }));
      return respond(reply, outcome);
    }
  }
  const name = `${pascal(definition.type)}Controller`;
  Object.defineProperty(GeneratedWriteController, 'name', { value: name });
  Reflect.defineMetadata('design:paramtypes', [LedgerCommands, ModuleRef], GeneratedWriteController);

  const prototype = GeneratedWriteController.prototype as unknown as Record<string, unknown>;
  // in TypeScript's order (the last parameter first): OpenAPI lists the path parameters in that order
  Res({ passthrough: true })(prototype, METHOD, bodyIndex + 1);
  Body()(prototype, METHOD, bodyIndex);
  for (let i = params.length - 1; i >= 0; i--) {
    const { name } = params[i];
    const pipe = pathParamRule(name)?.pipe;
    (pipe ? Param(name, pipe) : Param(name))(prototype, METHOD, i + 1);
  }
  WriteRequest()(prototype, METHOD, 0);
  // what TypeScript would emit for (write: WriteRequestInfo, ...params: string[], body: Dto, reply): the
  // validation pipe and the OpenAPI explorer read the body's class from it
  Reflect.defineMetadata(
    'design:paramtypes',
    [Object, ...params.map(() => String), definition.body, Object],
    prototype,
    METHOD,
  );

  const method: MethodDecorator[] = [
    Post(),
    HttpCode(201),
    Allow(...USE_CASE_ACCESS[definition.type]),
    ...params.map(({ name, example, description }) => ApiParam({ name, example, description })),
    ...(definition.examples
      ? [ApiBody({ type: definition.body, examples: { ...definition.examples } })]
      : []),
    ApiWrite({
      summary: definition.summary,
      description: definition.description,
      response: definition.response,
    }),
  ];
  const descriptor = Object.getOwnPropertyDescriptor(prototype, METHOD) as PropertyDescriptor;
  for (const decorate of method.reverse()) decorate(prototype, METHOD, descriptor);
  ApiTags(definition.tag)(GeneratedWriteController);
  Controller(nestPathOf(definition.route))(GeneratedWriteController);
  return GeneratedWriteController;
}
