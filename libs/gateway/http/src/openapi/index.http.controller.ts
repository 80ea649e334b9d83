import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { ApiProblems } from '../problem/problem.doc';
import { DOCS_PATH } from './openapi-document';
import { ApiPublic } from './security';

class ApiIndexDoc {
  @ApiProperty({ example: 'Accord' }) readonly name!: string;
  @ApiProperty({ example: 'Access sharing and team membership over HTTP' }) readonly description!: string;
  @ApiProperty({ example: '/docs', description: 'The API reference (Swagger UI)' }) readonly docs!: string;
  @ApiProperty({ example: '/docs-json', description: 'The OpenAPI 3.1 document' }) readonly openapi!: string;
  @ApiProperty({ example: '/health', description: 'Readiness' }) readonly health!: string;
}

const INDEX: ApiIndexDoc = {
  name: 'Accord',
  description: 'Access sharing and team membership over HTTP. The API reference is at /docs.',
  docs: `/${DOCS_PATH}`,
  openapi: `/${DOCS_PATH}-json`,
  health: '/health',
};

/** `GET /`: someone who opens the gateway's address learns where the API reference is. */
@ApiTags('index')
@ApiProblems()
@Controller()
export class IndexHttpController {
  @Public()
  @Get()
  @ApiPublic()
  @ApiOperation({ operationId: 'getIndex', summary: 'Where the API reference is' })
  @Header('cache-control', 'no-cache')
  @ApiOkResponse({ type: ApiIndexDoc })
  index(): ApiIndexDoc {
    return INDEX;
  }
}
