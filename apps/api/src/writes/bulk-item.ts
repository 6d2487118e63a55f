import type { Type } from '@nestjs/common';
import { pathParamRule } from '../common/path-params';
import { pathParamsOf } from './write-controller';
import type { WriteDefinition } from './write-definition';

/**
 * POST /v1/commands: the DTO of an item's body — the route's body DTO plus its path parameters' fields,
 * each checked by its parameter's rule (PATH_PARAMS `itemRule`); the body DTO itself for a route without
 * path parameters. `<Body>ItemDto` by name.
 */
export function bulkItemDtoOf(definition: WriteDefinition): Type<object> {
  const params = pathParamsOf(definition);
  if (params.length === 0) return definition.body;
  const Body = definition.body;
  class BulkItemDto extends Body {}
  Object.defineProperty(BulkItemDto, 'name', { value: Body.name.replace(/Dto$/, 'ItemDto') });
  for (const { name, field } of params) {
    const itemRule = pathParamRule(name)?.itemRule;
    if (!itemRule) throw new Error(`${definition.type}: {${name}} has no rule for a bulk item`);
    itemRule()(BulkItemDto.prototype, field);
  }
  return BulkItemDto;
}
