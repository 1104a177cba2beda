// DescribeLaunchConfigurations: all, or by name (unknown names are simply absent), paged.
import type { LaunchConfigurationDocument } from '../../domain/autoscaling.js';
import { defineAction } from '../action.js';
import { fields } from '../input.js';
import { page } from './paging.js';
import { launchConfigurationXml } from './views.js';

export default defineAction(
  'DescribeLaunchConfigurations',
  {
    names: fields.list('LaunchConfigurationNames.member'),
    maxRecords: fields.integer('MaxRecords'),
    nextToken: fields.string('NextToken'),
  },
  async (ctx, input) => {
    const all = await ctx.store.documents.list<LaunchConfigurationDocument>(
      ctx.scope,
      'launch-configuration',
      input.names.length ? { names: input.names } : undefined,
    );
    const { items, nextToken } = page(all, input.maxRecords, input.nextToken);
    return { LaunchConfigurations: items.map(launchConfigurationXml), NextToken: nextToken };
  },
);
