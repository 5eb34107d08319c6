/**
 * The kustomize build options an Argo CD Application may set through the `kustomizeBuildOptions` parameter. Argo CD
 * keeps `kustomize.buildOptions` for administrators (argocd-cm): options such as `--helm-command ./script`,
 * `--enable-alpha-plugins`, `--load-restrictor LoadRestrictionsNone` or `--output PATH` would let anyone who can
 * edit an Application run the repository's code or read and write outside the app in the repo-server sidecar.
 * Only options that change how the app's own files render are accepted; `meshscrape render` on a person's own
 * machine takes any.
 */
import { error, type Result } from '../krm/index.js';

/** Accepted options, with the values they take (undefined: a flag without a value). */
const accepted: Record<string, readonly string[] | 'any' | undefined> = {
  '--reorder': ['legacy', 'none'],
  '--enable-helm': undefined,
  '--helm-kube-version': 'any',
  '--helm-api-versions': 'any',
  '--load-restrictor': ['LoadRestrictionsRootOnly'],
};

/** The problems with the words of the parameter, each naming it and the word; none when all are accepted. */
export function unsafeBuildOptions(words: readonly string[], raw: string): Result[] {
  const refuse = (word: string, why: string) =>
    error(
      `parameter kustomizeBuildOptions="${raw}": ${word} ${why}; accepted: ${Object.keys(accepted).join(', ')} (an administrator can set others in argocd-cm kustomize.buildOptions)`,
      { path: 'parameters.kustomizeBuildOptions' },
    );
  const problems: Result[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const [name, inline] = word.includes('=')
      ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
      : [word, undefined];
    if (!Object.hasOwn(accepted, name)) {
      problems.push(refuse(word, 'is not accepted from an Application'));
      continue;
    }
    const values = accepted[name];
    if (values === undefined) {
      if (inline !== undefined) problems.push(refuse(word, 'takes no value'));
      continue;
    }
    const value = inline ?? words[++i];
    if (value === undefined) problems.push(refuse(word, 'needs a value'));
    else if (values !== 'any' && !values.includes(value))
      problems.push(refuse(`${name} ${value}`, `takes ${values.join(' or ')}`));
  }
  return problems;
}
