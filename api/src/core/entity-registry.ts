import type { EntityService, ServiceRegistry } from './context';

/**
 * Every generic service by the type name of its entity ("Persona"), for the
 * verbs that work across types (revert, restore, revert an ICP to a
 * version). Built once, in modules.ts, from what each module declares, and
 * handed to the code that needs it: nothing registers itself.
 */
export class EntityRegistry implements ServiceRegistry {
  private readonly byType = new Map<string, EntityService>();

  constructor(services: EntityService[]) {
    for (const service of services) {
      const type = service.entity.name;
      if (this.byType.has(type)) throw new Error(`two modules declare a service for ${type}`);
      this.byType.set(type, service);
    }
  }

  /** The service of a type, or undefined when no module declares one (e.g. IcpVersion). */
  find(type: string): EntityService | undefined {
    return this.byType.get(type);
  }

  /** The service of a type every caller expects to exist. */
  get(type: string): EntityService {
    const service = this.byType.get(type);
    if (!service) throw new Error(`no module declares a service for ${type}`);
    return service;
  }

  services(): EntityService[] {
    return [...this.byType.values()];
  }
}
