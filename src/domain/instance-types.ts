// Instance type facts more than one layer needs: which types are built on the Nitro System (NVMe
// device names in the guest; Multi-Attach EBS volumes).

/** Instance families built on the Nitro system (EC2 user guide, "Instances built on the Nitro System"). */
const NITRO = /^(t3a?|t4g|[mcr][5-8][a-z]*|a1|z1d|x2[a-z]*|x8g|i3en|i[4-8][a-z]*|im4gn|is4gen|g[4-6][a-z]*|gr6|p[3-5][a-z]*|inf[12]|trn[12][a-z]*|d3[a-z]*|hpc[6-7][a-z]*|dl[12][a-z]*|vt1|mac[1-2][a-z-]*|u[0-9]*-.*|f2)$/;

export const isNitroType = (instanceType: string): boolean => {
  const family = instanceType.split('.')[0] ?? '';
  return family !== 'p3' && NITRO.test(family); // p3 is Xen; p3dn is Nitro
};
