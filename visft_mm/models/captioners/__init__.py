from .lstm_captioner import LSTMCaptioner, ShowAttendTellDecoder

__all__ = ['LSTMCaptioner', 'ShowAttendTellDecoder']
