export { createIpCaptureRoutes, ipCaptureUrl, IP_CAPTURE_ROUTE_PATH } from './ip-capture-routes';
export type { IpCaptureRoutesDeps, IpConfirmOutcome } from './ip-capture-routes';
export { clientAddress } from './client-address';
