// Declarations shared between the kernel files; not part of the public interface.
#ifndef RECURRENT_CKERNELS_INTERNAL_H
#define RECURRENT_CKERNELS_INTERNAL_H

void rk_sigmoid_reference(const float *x, float *y, long n);
void rk_tanh_reference(const float *x, float *y, long n);
void rk_rnn_forward_reference(int B, int H, int activation, const float *xp, const float *hh, float *h);
void rk_rnn_backward_reference(int B, int H, int activation, const float *dh, const float *h, float *dpre);
void rk_lstm_forward_reference(int B, int H, const float *xp, const float *hh, const float *c_prev,
                               float *gates, float *c, float *tc, float *h);
void rk_lstm_backward_reference(int B, int H, const float *dh, float *dc, const float *gates,
                                const float *c_prev, const float *tc, float *dpre);
void rk_gru_forward_reference(int B, int H, const float *xp, const float *hh, const float *h_prev,
                              float *gates, float *h);
void rk_gru_backward_reference(int B, int H, const float *dh, const float *gates, const float *hh,
                               const float *h_prev, float *dxp, float *dhh, float *dh_prev);

#endif
