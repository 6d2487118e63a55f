import { ValidationPipe } from '@nestjs/common';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { cacheValidationMetadata } from './validation-metadata-cache';

/**
 * The validation of every body and query DTO (the app's global pipe, and the write scenarios of
 * writes/testing): whitelisted, unknown fields refused, no implicit conversion, errors as one 400
 * problem document naming each field and rule.
 */
export function createValidationPipe(): ValidationPipe {
  // class-validator gathers a DTO's decorators on every validate(): keep them (see there)
  cacheValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => InvalidRequest.fromValidationErrors(errors),
  });
}
