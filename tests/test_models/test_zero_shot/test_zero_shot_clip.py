"""ZeroShotCLIP: embeddings equal open_clip's own model loaded from the same EVA-CLIP file; CLIP_benchmark's class
embedding protocol; strict loading of the head / text tower."""
import open_clip
import pytest
import torch
import torch.nn.functional as F
from open_clip.factory import load_checkpoint

from visft_mm.models.weights.eva_formats import CheckpointFormatError
from visft_mm.models.zero_shot.clip_towers import split_clip_state, to_open_clip_layout
from visft_mm.registry import MODELS
from visft_mm.testing.synthetic_clip import build_tiny_open_clip

TEXTS = ['a photo of a circle.', 'two red squares and a star on a gray background', 'x']


@pytest.mark.parametrize('post_norm', [False, True], ids=['pre-norm', 'post-norm'])
@pytest.mark.parametrize('layout', ['eva_clip', 'open_clip'])
def test_embeddings_equal_open_clip(tiny_clip_files, zero_shot_cfg, post_norm, layout):
    """Our image and text embeddings equal those of open_clip's CustomTextCLIP loaded (by open_clip's own
    load_checkpoint, strictly) from the same file."""
    _, paths = tiny_clip_files[post_norm]
    reference = build_tiny_open_clip(seed=99, post_norm=post_norm)  # other weights until loaded
    state = torch.load(paths[layout], weights_only=True)
    if layout == 'eva_clip':
        state = to_open_clip_layout(state)
    torch.save(state, paths[layout] + '.open_clip_view')
    assert not load_checkpoint(reference, paths[layout] + '.open_clip_view', strict=True).missing_keys
    reference.eval()

    ours = MODELS.build(zero_shot_cfg(paths[layout], post_norm))
    ours.init_weights()
    ours.eval()
    images = torch.randn(3, 3, 224, 224)
    tokens = open_clip.tokenizer.SimpleTokenizer()(TEXTS)
    with torch.no_grad():
        torch.testing.assert_close(ours.encode_image(images), reference.encode_image(images, normalize=True),
                                   rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(ours.encode_text(TEXTS), reference.encode_text(tokens, normalize=True),
                                   rtol=1e-5, atol=1e-5)
    assert ours.logit_scale.item() == pytest.approx(reference.logit_scale.item())


def test_class_embeddings_follow_clip_benchmark(tiny_clip_files, zero_shot_cfg, tiny_zero_shot, tmp_path):
    """Per class: normalise each prompt's embedding, average, normalise; computed once and kept."""
    reference, _ = tiny_clip_files[False]
    tokenizer = open_clip.tokenizer.SimpleTokenizer()
    expected = []
    with torch.no_grad():
        for name in ['circle', 'square']:
            prompts = [f'a photo of a {name}.', f'a drawing of a {name}.']
            per_prompt = reference.encode_text(tokenizer(prompts), normalize=True)
            expected.append(F.normalize(per_prompt.mean(0), dim=-1))
    got = tiny_zero_shot.class_embeddings()
    torch.testing.assert_close(got, torch.stack(expected), rtol=1e-5, atol=1e-5)
    assert tiny_zero_shot.class_embeddings() is got  # cached

    # the file cache is keyed by the text tower's weights and the prompts
    _, paths = tiny_clip_files[False]
    cached = MODELS.build(zero_shot_cfg(paths['eva_clip'], class_embedding_cache=str(tmp_path),
                                             prompts=dict(classnames=['circle', 'square'],
                                                          templates=['a photo of a {c}.', 'a drawing of a {c}.'])))
    cached.init_weights()
    torch.testing.assert_close(cached.class_embeddings(), got)
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    torch.save(torch.zeros_like(got), files[0])  # a later run reads the file, not the text tower
    cached.init_weights()
    assert cached.class_embeddings().abs().sum() == 0
    cached.prompts['templates'] = ['a {c}.']
    cached.init_weights()
    assert cached.class_embeddings().abs().sum() > 0 and len(list(tmp_path.iterdir())) == 2


def _broken(paths, tmp_path, edit):
    state = torch.load(paths['eva_clip'], weights_only=True)
    edit(state)
    path = str(tmp_path / 'broken.pt')
    torch.save(state, path)
    return path


@pytest.fixture(scope='module')
def loader_model(tiny_clip_files, zero_shot_cfg):
    """One model for the loading-error tests (initialised once; init_weights then only re-reads the CLIP parts)."""
    _, paths = tiny_clip_files[False]
    model = MODELS.build(zero_shot_cfg(paths['eva_clip']))
    model.init_weights()
    return model


@pytest.mark.parametrize('edit, message', [
    (lambda s: s.pop('text.ln_final.weight'), 'missing in the file: text.ln_final.weight'),
    (lambda s: s.__setitem__('text.extra.weight', torch.zeros(1)), 'not in the model: text.extra.weight'),
    (lambda s: s.__setitem__('text.text_projection', torch.zeros(64, 32)), 'shape mismatch: text.text_projection'),
    (lambda s: s.__setitem__('visual.fc_norm.weight', torch.zeros(192)), 'visual.fc_norm.weight'),
    (lambda s: s.__setitem__('other_tower.weight', torch.zeros(1)), 'other_tower.weight'),
    (lambda s: s.pop('visual.head.bias'), 'visual.head.{weight,bias} is missing'),
    (lambda s: s.__setitem__('visual.head.weight', torch.zeros(32, 192)), 'vision projection weight has shape'),
    (lambda s: s.pop('logit_scale'), 'no logit_scale'),
], ids=['missing', 'unexpected', 'shape', 'fc_norm', 'foreign', 'head', 'head_shape', 'logit_scale'])
def test_strict_loading_names_the_keys(tiny_clip_files, loader_model, tmp_path, edit, message):
    _, paths = tiny_clip_files[False]
    path = _broken(paths, tmp_path, edit)
    loader_model.clip_checkpoint = path  # (default: the backbone's EVAPretrained file)
    with pytest.raises(CheckpointFormatError) as error:
        loader_model.init_weights()
    assert message in str(error.value) and path in str(error.value)


def test_vision_only_file_is_refused(tiny_clip_files):
    _, paths = tiny_clip_files[False]
    trunk = {k[len('visual.'):]: v for k, v in torch.load(paths['eva_clip'], weights_only=True).items()
             if k.startswith('visual.')}
    with pytest.raises(CheckpointFormatError, match='vision-only'):
        split_clip_state(trunk, 'trunk.pt')


def test_top_level_open_clip_text_keys_are_read(tiny_clip_files):
    """open_clip's plain CLIP keeps the text tower at the top level (token_embedding, transformer, ...)."""
    _, paths = tiny_clip_files[False]
    state = torch.load(paths['open_clip'], weights_only=True)
    flat = {(k[len('text.'):] if k.startswith('text.') else k): v for k, v in state.items()}
    assert split_clip_state(flat)['text'].keys() == split_clip_state(state)['text'].keys()


def test_backbone_must_give_the_class_token(tiny_clip_files, zero_shot_cfg):
    _, paths = tiny_clip_files[False]
    cfg = zero_shot_cfg(paths['eva_clip'])
    cfg['backbone']['out_type'] = 'featmap'
    with pytest.raises(ValueError, match="out_type='cls_token'"):
        MODELS.build(cfg)


def test_real_eva_clip_text_configs_ship_with_open_clip():
    """The E (1280 x 32) and g (768 x 12) text towers come from open_clip's shipped configs (custom text: keys
    under ``text.``, as in the EVA-CLIP files); building one is what the tiny tests do with their own config."""
    for name, width, layers in (('EVA02-E-14-plus', 1280, 32), ('EVA01-g-14', 768, 12)):
        cfg = open_clip.get_model_config(name)
        assert (cfg['text_cfg']['width'], cfg['text_cfg']['layers'], cfg['embed_dim']) == (width, layers, 1024)
        assert cfg['custom_text'] and 'hf_model_name' not in cfg['text_cfg']
        assert isinstance(open_clip.get_tokenizer(name), open_clip.tokenizer.SimpleTokenizer)


@pytest.mark.parametrize('form', ['peft', 'official'])
def test_lora_vision_embedding_equals_the_merged_backbones(tiny_clip_files, zero_shot_cfg, tmp_path, form):
    """With --lora (EVAPretrained's lora), the image embedding is EVA-CLIP's head on the LoRA-carrying backbone;
    the text side is untouched."""
    from visft_mm.models.weights.eva_formats import load_eva_weights
    from visft_mm.models.weights.lora_files import export_lora
    _, paths = tiny_clip_files[False]
    lora_backbone = MODELS.build(dict(type='EVAViT', arch='tiny', out_type='cls_token', frozen=True,
                                      lora=dict(r=4, alpha=1)))
    load_eva_weights(lora_backbone, paths['eva_clip'])
    with torch.no_grad(), torch.random.fork_rng():
        torch.manual_seed(0)
        for name, param in lora_backbone.named_parameters():
            if '.lora_' in name:
                param.normal_(std=0.2)
    files = export_lora(lora_backbone, adapter_dir=str(tmp_path / 'adapter'), official=str(tmp_path / 'lora.pt'))

    cfg = zero_shot_cfg(paths['eva_clip'])
    cfg['backbone']['init_cfg']['lora'] = files[form]
    ours = MODELS.build(cfg)
    ours.init_weights()
    frozen = MODELS.build(zero_shot_cfg(paths['eva_clip']))
    frozen.init_weights()
    images = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = F.normalize(ours.visual_head(lora_backbone.eval()(images)[-1]), dim=-1)
        torch.testing.assert_close(ours.eval().encode_image(images), expected, rtol=1e-5, atol=1e-5)
        assert (frozen.eval().encode_image(images) - expected).abs().max() > 1e-3  # the LoRA matters
        torch.testing.assert_close(ours.encode_text(TEXTS), frozen.encode_text(TEXTS))


def test_builds_from_an_upstream_scope():
    """From an mmpretrain config (custom_imports=['visft_mm']), with visft_mm's parts named by scope."""
    from mmengine.registry import MODELS as ROOT_MODELS
    from mmengine.registry import DefaultScope

    from visft_mm.models import EVAViT
    from visft_mm.testing.synthetic_clip import tiny_clip_config
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = ROOT_MODELS.build(dict(type='visft_mm.ZeroShotCLIP', text_model=tiny_clip_config(),
                                       backbone=dict(type='visft_mm.EVAViT', arch='tiny', out_type='cls_token'),
                                       data_preprocessor=dict(type='ClsDataPreprocessor')))
    assert isinstance(model.backbone, EVAViT)


def test_an_uninitialised_model_refuses_to_run(tiny_zero_shot, tiny_clip_files, zero_shot_cfg):
    """Random towers would score at chance silently: the model refuses until init_weights (InitWeightsHook in a
    Runner) has run; a state dict loaded afterwards stays and resets the class embeddings."""
    _, paths = tiny_clip_files[False]
    images = torch.randn(1, 3, 224, 224)
    fresh = MODELS.build(zero_shot_cfg(paths['eva_clip'])).eval()
    with torch.no_grad(), pytest.raises(RuntimeError, match='init_weights'):
        fresh(images)
    fresh.init_weights()
    with torch.no_grad():
        torch.testing.assert_close(fresh(images), tiny_zero_shot.encode_image(images))
        state = {k: v + 0.01 * torch.randn_like(v) for k, v in tiny_zero_shot.state_dict().items()}
        fresh.load_state_dict(state)
        fresh(images)
    torch.testing.assert_close(fresh.visual_head.weight, state['visual_head.weight'])
