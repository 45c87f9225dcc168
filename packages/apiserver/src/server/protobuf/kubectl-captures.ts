/**
 * Request bodies recorded from real kubectl binaries (test data): the same command run by kubectl 1.32, whose typed
 * clients send `application/vnd.kubernetes.protobuf`, and by kubectl 1.31, which sent `application/json`. Each was
 * captured by a throwaway HTTP server on 127.0.0.1 that answered discovery and recorded the POST; the JSON is
 * verbatim without its trailing newline. Decoding `protobuf` must give exactly `json`, byte for byte.
 *
 * Run as `kubectl.1.32 --server http://127.0.0.1:PORT <command>` (create commands also with `--validate=false`);
 * `kubectl delete` is not here because it sends DeleteOptions as JSON in both versions.
 */
export interface KubectlCapture {
  readonly command: string;
  readonly path: string;
  /** base64 of the 1.32 body, magic included. */
  readonly protobuf: string;
  readonly json: string;
}

export const KUBECTL_CAPTURES: readonly KubectlCapture[] = [
  {
    command: 'create configmap x --from-literal=a=b',
    path: '/api/v1/namespaces/default/configmaps',
    protobuf: 'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEhsKEQoBeBIAGgAiACoAMgA4AEIAEgYKAWESAWIaACIA',
    json: '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null},"data":{"a":"b"}}',
  },
  {
    command: 'create configmap y --from-file=bin=FILE --from-literal=t=u (FILE holds 00 ff fe 62 69 6e)',
    path: '/api/v1/namespaces/default/configmaps',
    protobuf: 'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEioKEQoBeRIAGgAiACoAMgA4AEIAEgYKAXQSAXUaDQoDYmluEgYA//5iaW4aACIA',
    json: '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"y","creationTimestamp":null},"data":{"t":"u"},"binaryData":{"bin":"AP/+Ymlu"}}',
  },
  {
    command: 'create secret generic s --from-literal=k=v',
    path: '/api/v1/namespaces/default/secrets',
    protobuf: 'azhzAAoMCgJ2MRIGU2VjcmV0Eh0KEQoBcxIAGgAiACoAMgA4AEIAEgYKAWsSAXYaABoAIgA=',
    json: '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","creationTimestamp":null},"data":{"k":"dg=="}}',
  },
  {
    command: 'create namespace n',
    path: '/api/v1/namespaces',
    protobuf: 'azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhkKEQoBbhIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA==',
    json: '{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"n","creationTimestamp":null},"spec":{},"status":{}}',
  },
  {
    command: 'create serviceaccount sa',
    path: '/api/v1/namespaces/default/serviceaccounts',
    protobuf: 'azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFAoSCgJzYRIAGgAiACoAMgA4AEIAGgAiAA==',
    json: '{"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"sa","creationTimestamp":null}}',
  },
  {
    command: 'create quota q --hard=cpu=1,memory=1Gi,pods=2 --scopes=BestEffort',
    path: '/api/v1/namespaces/default/resourcequotas',
    protobuf:
      'azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJNChEKAXESABoAIgAqADIAOABCABI2CgoKA2NwdRIDCgExCg8KBm1lbW9yeRIFCgMxR2kKCwoEcG9kcxIDCgEyEgpCZXN0RWZmb3J0GgAaACIA',
    json: '{"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"q","creationTimestamp":null},"spec":{"hard":{"cpu":"1","memory":"1Gi","pods":"2"},"scopes":["BestEffort"]},"status":{}}',
  },
  {
    command: 'create role r --verb=get --verb=list --resource=configmaps --resource-name=a',
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
    protobuf:
      'azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEjEKEQoBchIAGgAiACoAMgA4AEIAEhwKA2dldAoEbGlzdBIAGgpjb25maWdtYXBzIgFhGgAiAA==',
    json: '{"kind":"Role","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"r","creationTimestamp":null},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["configmaps"],"resourceNames":["a"]}]}',
  },
  {
    command: 'create clusterrole cr --verb=get --resource=pods --non-resource-url=/logs',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    protobuf:
      'azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRIxChIKAmNyEgAaACIAKgAyADgAQgASDQoDZ2V0EgAaBHBvZHMSDAoDZ2V0KgUvbG9ncxoAIgA=',
    json: '{"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"cr","creationTimestamp":null},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]},{"verbs":["get"],"nonResourceURLs":["/logs"]}]}',
  },
  {
    command: 'create clusterrole agg --aggregation-rule=foo=bar',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    protobuf:
      'azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRIlChMKA2FnZxIAGgAiACoAMgA4AEIAGg4KDAoKCgNmb28SA2JhchoAIgA=',
    json: '{"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"agg","creationTimestamp":null},"rules":null,"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"foo":"bar"}}]}}',
  },
  {
    command: 'create rolebinding rb --role=r --user=u',
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
    protobuf:
      'azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxJiChIKAnJiEgAaACIAKgAyADgAQgASJgoEVXNlchIZcmJhYy5hdXRob3JpemF0aW9uLms4cy5pbxoBdSIAGiQKGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8SBFJvbGUaAXIaACIA',
    json: '{"kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"rb","creationTimestamp":null},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"u"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"}}',
  },
  {
    command: 'create clusterrolebinding crb --clusterrole=cr --serviceaccount=default:sa --group=g',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    protobuf:
      'azhzAAoyChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEhJDbHVzdGVyUm9sZUJpbmRpbmcSjQEKEwoDY3JiEgAaACIAKgAyADgAQgASJwoFR3JvdXASGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aAWciABIfCg5TZXJ2aWNlQWNjb3VudBIAGgJzYSIHZGVmYXVsdBosChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgtDbHVzdGVyUm9sZRoCY3IaACIA',
    json: '{"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"crb","creationTimestamp":null},"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"g"},{"kind":"ServiceAccount","name":"sa","namespace":"default"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cr"}}',
  },
  {
    command: 'auth can-i get pods/log -n default',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    protobuf:
      'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPwoQCgASABoAIgAqADIAOABCABIhCh8KB2RlZmF1bHQSA2dldBoAIgAqBHBvZHMyADoDbG9nGggIABIAGgAgABoAIgA=',
    json: '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods","name":"log"}},"status":{"allowed":false}}',
  },
  {
    command: 'auth can-i get /logs',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    protobuf:
      'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSLAoQCgASABoAIgAqADIAOABCABIOEgwKBS9sb2dzEgNnZXQaCAgAEgAaACAAGgAiAA==',
    json: '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"nonResourceAttributes":{"path":"/logs","verb":"get"}},"status":{"allowed":false}}',
  },
  {
    command: 'auth can-i --list -n default',
    path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
    protobuf:
      'azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxIjChAKABIAGgAiACoAMgA4AEIAEgkKB2RlZmF1bHQaBBgAIgAaACIA',
    json: '{"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"namespace":"default"},"status":{"resourceRules":null,"nonResourceRules":null,"incomplete":false}}',
  },
  {
    command: 'auth whoami',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    protobuf:
      'azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA=',
    json: '{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"status":{"userInfo":{}}}',
  },
  {
    command:
      'create token sa --duration=1h --audience=a --bound-object-kind=Pod --bound-object-name=p --bound-object-uid=123',
    path: '/api/v1/namespaces/default/serviceaccounts/sa/token',
    protobuf:
      'azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIzChAKABIAGgAiACoAMgA4AEIAEhkKAWEaEQoDUG9kEgJ2MRoBcCIDMTIzIJAcGgQKABIAGgAiAA==',
    json: '{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"audiences":["a"],"expirationSeconds":3600,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"123"}},"status":{"token":"","expirationTimestamp":null}}',
  },
];
