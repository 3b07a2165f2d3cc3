import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import type { StateLocation } from '../../contract/state-locations.js';
import { DEFAULT_PAGE_SIZE, type StateBackend, type StateBackendOptions } from './types.js';

type AzurermLocation = Extract<StateLocation, { type: 'azurerm' }>;

/** The account a connection string is for, from its `AccountName=` field. */
function accountOf(connectionString: string): string | undefined {
  return /(?:^|;)\s*AccountName=([^;]+)/i.exec(connectionString)?.[1];
}

/**
 * The storage account's service client: from AZURE_STORAGE_CONNECTION_STRING when it is for this
 * account (an access key or SAS, as Terraform's ARM_ACCESS_KEY), else the account's public
 * endpoint with DefaultAzureCredential (the agent's identity).
 */
function serviceClient(location: AzurermLocation, env: NodeJS.ProcessEnv): BlobServiceClient {
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING;
  if (connectionString && accountOf(connectionString) === location.storageAccount) {
    return BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 3 } });
  }
  return new BlobServiceClient(
    `https://${location.storageAccount}.blob.core.windows.net`,
    new DefaultAzureCredential(),
    {
      retryOptions: { maxTries: 3 },
    },
  );
}

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The azurerm backend's container: `<key>` and `<key>env:<workspace>` blobs, listed a page at a time. */
export async function createAzurermBackend(
  location: AzurermLocation,
  opts: StateBackendOptions,
): Promise<StateBackend> {
  const container = serviceClient(location, opts.env).getContainerClient(location.container);
  const maxPageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  return {
    async list(signal) {
      const names: string[] = [];
      const pages = container
        .listBlobsFlat({ prefix: location.prefix || undefined, abortSignal: signal })
        .byPage({ maxPageSize });
      for await (const page of pages) names.push(...page.segment.blobItems.map((b) => b.name));
      return names;
    },
    async read(name, signal) {
      try {
        const res = await container.getBlobClient(name).download(0, undefined, { abortSignal: signal });
        return res.readableStreamBody ? await bytesOf(res.readableStreamBody) : new Uint8Array();
      } catch (err) {
        if ((err as { statusCode?: unknown }).statusCode === 404) return null;
        throw err;
      }
    },
  };
}
