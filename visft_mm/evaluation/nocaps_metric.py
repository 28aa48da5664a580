"""NoCaps captioning scores overall and per domain (in / near / out), without SPICE (Java-free CIDEr)."""
from collections import Counter
from typing import Dict, List

from mmengine.logging import MMLogger

from visft_mm.datasets.captions import read_caption_annotations
from visft_mm.datasets.nocaps import DOMAINS, read_nocaps_domains
from visft_mm.registry import METRICS
from .caption_metric import CocoCaptionMetric, score_captions


@METRICS.register_module()
class NoCapsCaptionMetric(CocoCaptionMetric):
    """:class:`CocoCaptionMetric` on a NoCaps caption file: every score over all images (``CIDEr``, ``BLEU-4``,
    ...) and ``<domain>/CIDEr`` for ``in-domain``, ``near-domain``, ``out-domain``, each domain scored on its own
    images as the NoCaps evaluation server does (CIDEr's document frequencies come from that domain's
    references; pycocoevalcap 1.2 scorers, as :class:`CocoCaptionMetric`).  Scores are x100, as NoCaps and LAVIS
    report them (CIDEr 100.9, not 1.009); ``tokenizer`` names the tokenizer path.  One prediction per image: a
    second one for the same image is an error."""

    default_prefix = 'nocaps'

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        repeated = [i for i, n in Counter(r['image_id'] for r in results).items() if n > 1]
        if repeated:
            raise ValueError(f'{len(repeated)} images were captioned more than once (e.g. {repeated[:3]}): '
                             'NoCaps takes one caption per image (use visft_mm.NoCapsImages, not a dataset with '
                             'one sample per reference caption)')
        scores = super().compute_metrics(results)
        references = {e['image_id']: e['captions'] for e in read_caption_annotations(self.ann_file)}
        predictions = {r['image_id']: r['caption'] for r in results}
        domains = read_nocaps_domains(self.ann_file)
        use_ptb = self.use_ptb()
        for domain in DOMAINS:
            subset = {k: v for k, v in predictions.items() if domains[k] == domain}
            if subset:
                scores[f'{domain}/CIDEr'] = score_captions(references, subset, use_ptb=use_ptb,
                                                           with_meteor=False)['CIDEr']
        MMLogger.get_current_instance().info(
            f'NoCaps: {len(predictions)} of {len(references)} images captioned; per domain: ' +
            ', '.join(f'{d} {sum(domains[k] == d for k in predictions)}' for d in DOMAINS))
        tokenizer = scores.pop('tokenizer')
        return dict({key: 100.0 * value for key, value in scores.items()}, tokenizer=tokenizer)
