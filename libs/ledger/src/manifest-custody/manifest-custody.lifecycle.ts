import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ManifestCustodyProcessManager } from './manifest-custody.process-manager';

export const MANIFEST_CUSTODY_ENABLED = Symbol.for('wasteflow.ManifestCustodyEnabled');

/**
 * Runs the manifest custody process manager inside the application: started on bootstrap (every store
 * kind), stopped before the store closes (onModuleDestroy precedes StorageModule's shutdown hook).
 */
@Injectable()
export class ManifestCustodyLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ManifestCustody');

  constructor(
    private readonly processManager: ManifestCustodyProcessManager,
    @Inject(MANIFEST_CUSTODY_ENABLED) private readonly enabled: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    await this.processManager.start();
    this.logger.log(`running from checkpoint ${this.processManager.status().checkpoint}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.processManager.stop();
  }
}
