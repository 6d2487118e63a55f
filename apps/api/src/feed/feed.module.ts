import { Module } from '@nestjs/common';
import { ReadSideModule } from '../read-side/read-side.module';
import { FeedController } from './feed.controller';
import { FeedScopes } from './feed-scope';
import { FeedReader } from './feed.reader';

/** The scoped event feed; the webhooks deliver what it serves. */
@Module({
  imports: [ReadSideModule],
  controllers: [FeedController],
  providers: [FeedScopes, FeedReader],
  exports: [FeedReader],
})
export class FeedModule {}
