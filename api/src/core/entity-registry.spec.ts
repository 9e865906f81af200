import { ENTITY_ACCESS } from '../auth/policy';
import { REGISTRY } from '../modules';
import { EntityRegistry } from './entity-registry';
import { tierService } from '../modules/tier/tier.service';

describe('the entity registry', () => {
  it('holds a service for every type the policy lets someone change, built from the module declarations', () => {
    const writable = Object.entries(ENTITY_ACCESS)
      .filter(([, a]) => a.write.length)
      .map(([type]) => type);
    for (const type of writable) expect(REGISTRY.get(type).entity.name).toBe(type);
    expect(REGISTRY.find('IcpVersion')).toBeUndefined();
  });

  it('refuses two services for one type, and names a type nobody declares', () => {
    expect(() => new EntityRegistry([tierService, tierService])).toThrow('two modules declare a service for Tier');
    expect(() => REGISTRY.get('Nothing')).toThrow('no module declares a service for Nothing');
  });
});
