import { REGISTRY_DOC, renderRegistrySection } from './docs.js';

const changed = REGISTRY_DOC.write(renderRegistrySection());
console.log(changed ? `wrote ${REGISTRY_DOC.path}` : `${REGISTRY_DOC.path} is current`);
