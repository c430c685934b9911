/**
 * The 38 error codes every Tencent Cloud API 3.0 action may return, with their English
 * descriptions: what an imported spec lists as `x-tc-common-errors`. They are the same for every
 * service and are not part of a service's definitions. Source: Tencent's "Common Error Codes" page
 * (tencentcloud.com/document/api/240/32152), as kept in the shared reference data
 * (data/common-error-codes.json).
 */
export const COMMON_ERRORS: readonly (readonly [code: string, description: string])[] = [
  ["ActionOffline", "This API has been deprecated."],
  ["AuthFailure.InvalidAuthorization", "`Authorization` in the request header is invalid."],
  ["AuthFailure.InvalidSecretId", "Invalid key (not a TencentCloud API key type)."],
  ["AuthFailure.MFAFailure", "MFA failed."],
  ["AuthFailure.SecretIdNotFound", "Key does not exist. Check if the key has been deleted or disabled in the console, and if not, check if the key is correctly entered. Note that whitespaces should not exist before or after the key."],
  ["AuthFailure.SignatureExpire", "Signature expired. Timestamp and server time cannot differ by more than five minutes. Please ensure your current local time matches the standard time."],
  ["AuthFailure.SignatureFailure", "Invalid signature. Signature calculation error. Please ensure you’ve followed the signature calculation process described in the Signature API documentation."],
  ["AuthFailure.TokenFailure", "Token error."],
  ["AuthFailure.UnauthorizedOperation", "The request is not authorized. For more information, see the CAM documentation."],
  ["DryRunOperation", "DryRun Operation. It means that the request would have succeeded, but the DryRun parameter was used."],
  ["FailedOperation", "Operation failed."],
  ["InternalError", "Internal error."],
  ["InvalidAction", "The API does not exist."],
  ["InvalidParameter", "Incorrect parameter."],
  ["InvalidParameterValue", "Invalid parameter value."],
  ["InvalidRequest", "The multipart format of the request body is incorrect."],
  ["IpInBlacklist", "Your IP is in uin IP blacklist."],
  ["IpNotInWhitelist", "Your IP is not in uin IP whitelist."],
  ["LimitExceeded", "Quota limit exceeded."],
  ["MissingParameter", "A parameter is missing."],
  ["NoSuchProduct", "The product does not exist."],
  ["NoSuchVersion", "The API version does not exist."],
  ["RequestLimitExceeded", "The number of requests exceeds the frequency limit."],
  ["RequestLimitExceeded.GlobalRegionUinLimitExceeded", "Uin exceeds the frequency limit."],
  ["RequestLimitExceeded.IPLimitExceeded", "The number of ip requests exceeds the frequency limit."],
  ["RequestLimitExceeded.UinLimitExceeded", "The number of uin requests exceeds the frequency limit."],
  ["RequestSizeLimitExceeded", "The request size exceeds the upper limit."],
  ["ResourceInUse", "Resource is in use."],
  ["ResourceInsufficient", "Insufficient resource."],
  ["ResourceNotFound", "The resource does not exist."],
  ["ResourceUnavailable", "Resource is unavailable."],
  ["ResponseSizeLimitExceeded", "The response size exceeds the upper limit."],
  ["ServiceUnavailable", "Service is unavailable now."],
  ["UnauthorizedOperation", "Unauthorized operation."],
  ["UnknownParameter", "Unknown parameter."],
  ["UnsupportedOperation", "Unsupported operation."],
  ["UnsupportedProtocol", "HTTP(S) request protocol error; only GET and POST requests are supported."],
  ["UnsupportedRegion", "API does not support the requested region."],
];
