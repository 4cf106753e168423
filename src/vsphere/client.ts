/** @module vsphere/client — one authenticated vim25 SOAP session with an ESXi host (node-soap, pinned TLS, cookie). */

import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import soap from 'soap';
import { msg } from '../i18n/message.js';
import { toVSphereError, VSphereError } from './errors.js';
import { encodeArgs, type MoRef, normalize } from './normalize.js';
import { createAgent, PinnedAgent } from './tls.js';
import { wsdlPath } from './wsdl-path.js';

/** Connection parameters for {@link VSphereClient.connect}. */
export interface ConnectOptions {
  hostname: string;
  port: number;
  protocol: 'https' | 'http';
  username: string;
  password: string;
  /** Stored SHA-256 fingerprint (`AB:CD:...`); null/undefined accepts any certificate (see `thumbprint`). */
  thumbprint?: string | null;
  /** Per-call HTTP timeout in milliseconds (default 60 000). */
  timeoutMs?: number;
}

/** The ServiceContent fields the product uses (vSphere API reference: "ServiceContent"). */
export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  sessionManager: MoRef;
  fileManager: MoRef | null;
  virtualDiskManager?: MoRef | null;
  about: {
    name: string;
    fullName: string;
    version: string;
    build: string;
    apiVersion: string;
    apiType: string;
  };
  [key: string]: unknown;
}

const INITIAL_API_VERSION = '6.0';
const SERVICE_INSTANCE: MoRef = { type: 'ServiceInstance', value: 'ServiceInstance' };

/** A logged-in session with one ESXi host. One node-soap client (and one cookie) per instance. */
export class VSphereClient {
  readonly baseUrl: string;
  readonly agent: http.Agent;
  serviceContent!: ServiceContent;
  apiVersion = INITIAL_API_VERSION;
  private cookie: string | null = null;
  private relogin: Promise<void> | null = null;

  private constructor(
    private readonly opts: ConnectOptions,
    private readonly soapClient: soap.Client,
  ) {
    this.baseUrl = `${opts.protocol}://${opts.hostname.includes(':') ? `[${opts.hostname}]` : opts.hostname}:${opts.port}`;
    this.agent = createAgent(opts.protocol, opts.thumbprint);
  }

  /**
   * Opens a session: RetrieveServiceContent, then Login; the SOAPAction then uses the host's `about.apiVersion`.
   * @returns a connected client.
   * @throws VSphereError `InvalidLogin`, `Unreachable`, `CertificateMismatch`, `Fault`.
   * Reference: vSphere API "ServiceInstance.RetrieveServiceContent", "SessionManager.Login".
   */
  static async connect(opts: ConnectOptions): Promise<VSphereClient> {
    const soapClient = await soap.createClientAsync(wsdlPath(), { endpoint: 'http://localhost/sdk' });
    soapClient.setMaxListeners(0); // one 'response' listener per in-flight call
    const client = new VSphereClient(opts, soapClient);
    soapClient.setEndpoint(`${client.baseUrl}/sdk`);
    soapClient.setSOAPAction(`urn:vim25/${INITIAL_API_VERSION}`);
    try {
      const content = await client.invoke('RetrieveServiceContent', { _this: SERVICE_INSTANCE });
      client.serviceContent = content as ServiceContent;
      client.apiVersion = client.serviceContent.about?.apiVersion || INITIAL_API_VERSION;
      soapClient.setSOAPAction(`urn:vim25/${client.apiVersion}`);
      await client.login();
      return client;
    } catch (err) {
      client.agent.destroy(); // leave no keep-alive socket behind
      throw err;
    }
  }

  /** Value for a `Cookie` header carrying this session (`vmware_soap_session=...`), or null when logged out. */
  get sessionCookie(): string | null {
    return this.cookie;
  }

  /** SHA-256 fingerprint of the certificate the host presented (HTTPS only): the value to store on first use. */
  get thumbprint(): string | null {
    return this.agent instanceof PinnedAgent ? (this.agent.pinned ?? this.agent.lastThumbprint) : null;
  }

  /** `host:port`, for messages. */
  get target(): string {
    return `${this.opts.hostname}:${this.opts.port}`;
  }

  /**
   * Calls a vim25 method declared in the trimmed WSDL and returns its normalised `returnval`
   * (`undefined` for void methods). MoRefs (`{type, value}`) anywhere in `args` are encoded automatically.
   * A `NotAuthenticated` fault triggers one transparent re-login and one retry.
   * @param method e.g. `RetrievePropertiesEx`; args e.g. `{ _this: propertyCollector, specSet, options }`.
   * @throws VSphereError (see errors.ts).
   */
  async call(method: string, args: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.invoke(method, args);
    } catch (err) {
      if (!(err instanceof VSphereError) || err.code !== 'NotAuthenticated') throw err;
      await this.reauthenticate();
      return this.invoke(method, args);
    }
  }

  /**
   * Logs in again with the stored credentials (concurrent callers share one Login).
   * @throws VSphereError `InvalidLogin` if the password changed meanwhile.
   */
  async reauthenticate(): Promise<void> {
    this.relogin ??= this.login().finally(() => {
      this.relogin = null;
    });
    return this.relogin;
  }

  /** Ends the session (SessionManager.Logout) and closes idle sockets. Never throws. */
  async logout(): Promise<void> {
    try {
      if (this.cookie) await this.invoke('Logout', { _this: this.serviceContent.sessionManager });
    } catch {
      // already gone: nothing to do
    } finally {
      this.cookie = null;
      this.agent.destroy();
    }
  }

  private async login(): Promise<void> {
    this.cookie = null;
    const { username: userName, password } = this.opts;
    await this.invoke('Login', { _this: this.serviceContent.sessionManager, userName, password });
    if (!this.cookie)
      throw new VSphereError('Fault', msg('vsphere.no_session_cookie', { target: this.target }));
  }

  private async invoke(method: string, args: Record<string, unknown>): Promise<unknown> {
    const fn = this.soapClient[`${method}Async`] as
      | ((a: unknown, o: object, h: object) => Promise<[Record<string, unknown> | null]>)
      | undefined;
    if (typeof fn !== 'function') throw new VSphereError('Fault', msg('vsphere.no_method', { method }));
    const exchangeId = randomUUID();
    const onResponse = (_body: unknown, res: { headers?: Record<string, unknown> } | null, eid: string) => {
      if (eid !== exchangeId) return;
      const setCookie = res?.headers?.['set-cookie'];
      const found = (Array.isArray(setCookie) ? setCookie : [setCookie])
        .map(String)
        .find((c) => c.startsWith('vmware_soap_session='));
      if (found) this.cookie = found.split(';')[0] ?? null;
    };
    this.soapClient.on('response', onResponse);
    const options = {
      exchangeId,
      timeout: this.opts.timeoutMs ?? 60_000,
      proxy: false,
      [this.opts.protocol === 'https' ? 'httpsAgent' : 'httpAgent']: this.agent,
    };
    try {
      const [result] = await fn.call(
        this.soapClient,
        encodeArgs(args),
        options,
        this.cookie ? { Cookie: this.cookie } : {},
      );
      return result ? normalize(result.returnval) : undefined;
    } catch (err) {
      throw toVSphereError(err, this.target);
    } finally {
      this.soapClient.off('response', onResponse);
    }
  }
}
