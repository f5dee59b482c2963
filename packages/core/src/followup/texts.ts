/**
 * The follow-up messages of each built-in language: the survey and reminder (email and short).
 * Placeholders: {{greeting}}, {{reference}}, {{scores}} (the five score links, a paragraph of its
 * own), {{link}} (the survey page), {{closing}} (the reminder's "we will close on…" sentence,
 * empty when nothing closes), {{closeAt}}. The survey pages' texts are in pages.ts: the function
 * that sends messages does not carry them, nor the page function these.
 */
export interface FollowUpTexts {
  readonly surveySubject: string;
  readonly surveyText: string;
  readonly surveyShort: string;
  readonly reminderSubject: string;
  readonly reminderText: string;
  readonly reminderShort: string;
  readonly reminderClosing: string;
}

export const FOLLOW_UP_TEXTS: Readonly<Record<string, FollowUpTexts>> = {
  en: {
    surveySubject: 'How did we do? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nWe marked your request {{reference}} as solved. How satisfied are you with our help? One click is enough:\n\n{{scores}}\n\nIf something is still not right, just reply to this message and we will pick it up again.',
    surveyShort: 'How did we do with your request {{reference}}? Rate us from 1 to 5: {{link}}',
    reminderSubject: 'We are waiting for your reply [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nWe are still waiting for your reply on your request {{reference}} so that we can help you further. Just reply to this message.\n\n{{closing}}',
    reminderShort:
      'We are still waiting for your reply on your request {{reference}}. Just answer here. {{closing}}',
    reminderClosing: 'If we do not hear from you, we will close the request on {{closeAt}}.',
  },
  ja: {
    surveySubject: 'サポートはいかがでしたか [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nお問い合わせ {{reference}} を解決済みとしました。今回の対応にどの程度ご満足いただけましたか。ワンクリックでご回答いただけます。\n\n{{scores}}\n\nまだ解決していない点がございましたら、このメッセージにご返信ください。改めて対応いたします。',
    surveyShort: 'お問い合わせ {{reference}} の対応はいかがでしたか。1〜5で評価してください：{{link}}',
    reminderSubject: 'ご返信をお待ちしております [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nお問い合わせ {{reference}} について、引き続きご返信をお待ちしております。このメッセージにご返信いただければ、対応を続けます。\n\n{{closing}}',
    reminderShort:
      'お問い合わせ {{reference}} へのご返信をお待ちしております。こちらにご返信ください。{{closing}}',
    reminderClosing: 'ご返信がない場合、{{closeAt}}にお問い合わせを終了いたします。',
  },
  ko: {
    surveySubject: '상담은 만족스러우셨나요? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\n문의 {{reference}}를 해결됨으로 처리했습니다. 저희 도움에 얼마나 만족하셨나요? 한 번의 클릭으로 답해 주실 수 있습니다.\n\n{{scores}}\n\n아직 해결되지 않은 부분이 있다면 이 메시지에 회신해 주세요. 다시 도와드리겠습니다.',
    surveyShort: '문의 {{reference}}에 대한 상담은 어떠셨나요? 1~5점으로 평가해 주세요: {{link}}',
    reminderSubject: '회신을 기다리고 있습니다 [{{reference}}]',
    reminderText:
      '{{greeting}}\n\n문의 {{reference}}에 대한 회신을 아직 기다리고 있습니다. 이 메시지에 회신해 주시면 계속 도와드리겠습니다.\n\n{{closing}}',
    reminderShort: '문의 {{reference}}에 대한 회신을 기다리고 있습니다. 여기에 답해 주세요. {{closing}}',
    reminderClosing: '회신이 없으면 {{closeAt}}에 문의를 종료합니다.',
  },
  ar: {
    surveySubject: 'ما رأيك في خدمتنا؟ [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nلقد اعتبرنا طلبك {{reference}} محلولاً. ما مدى رضاك عن مساعدتنا؟ تكفي نقرة واحدة:\n\n{{scores}}\n\nإذا كان هناك ما لم يُحل بعد، فيكفي أن ترد على هذه الرسالة وسنتابع طلبك من جديد.',
    surveyShort: 'ما رأيك في خدمتنا بخصوص طلبك {{reference}}؟ قيّمنا من 1 إلى 5: {{link}}',
    reminderSubject: 'ما زلنا ننتظر ردك [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nما زلنا ننتظر ردك على طلبك {{reference}} حتى نتمكن من مساعدتك. يكفي أن ترد على هذه الرسالة.\n\n{{closing}}',
    reminderShort: 'ما زلنا ننتظر ردك على طلبك {{reference}}. يكفي أن ترد هنا. {{closing}}',
    reminderClosing: 'إذا لم يصلنا ردك، فسنغلق الطلب في {{closeAt}}.',
  },
  ro: {
    surveySubject: 'Cum ne-am descurcat? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nAm marcat solicitarea dumneavoastră {{reference}} ca rezolvată. Cât de mulțumit(ă) sunteți de ajutorul nostru? Un singur clic este suficient:\n\n{{scores}}\n\nDacă ceva nu este încă în regulă, răspundeți la acest mesaj și ne vom ocupa din nou.',
    surveyShort: 'Cum ne-am descurcat cu solicitarea {{reference}}? Acordați o notă de la 1 la 5: {{link}}',
    reminderSubject: 'Așteptăm răspunsul dumneavoastră [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nAșteptăm în continuare răspunsul dumneavoastră la solicitarea {{reference}}, ca să vă putem ajuta mai departe. Răspundeți la acest mesaj.\n\n{{closing}}',
    reminderShort:
      'Așteptăm răspunsul dumneavoastră la solicitarea {{reference}}. Răspundeți aici. {{closing}}',
    reminderClosing: 'Dacă nu primim un răspuns, vom închide solicitarea pe {{closeAt}}.',
  },
  es: {
    surveySubject: '¿Qué tal lo hicimos? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nHemos marcado su solicitud {{reference}} como resuelta. ¿Qué tan satisfecho está con nuestra ayuda? Basta con un clic:\n\n{{scores}}\n\nSi algo sigue sin estar bien, simplemente responda a este mensaje y volveremos a ocuparnos.',
    surveyShort: '¿Qué tal lo hicimos con su solicitud {{reference}}? Valórenos del 1 al 5: {{link}}',
    reminderSubject: 'Estamos esperando su respuesta [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nSeguimos esperando su respuesta sobre su solicitud {{reference}} para poder seguir ayudándole. Simplemente responda a este mensaje.\n\n{{closing}}',
    reminderShort:
      'Seguimos esperando su respuesta sobre su solicitud {{reference}}. Responda aquí. {{closing}}',
    reminderClosing: 'Si no tenemos noticias suyas, cerraremos la solicitud el {{closeAt}}.',
  },
  fr: {
    surveySubject: 'Comment avons-nous fait ? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nNous avons marqué votre demande {{reference}} comme résolue. Dans quelle mesure êtes-vous satisfait de notre aide ? Un seul clic suffit :\n\n{{scores}}\n\nSi quelque chose ne va toujours pas, répondez simplement à ce message et nous reprendrons votre demande.',
    surveyShort: 'Comment avons-nous traité votre demande {{reference}} ? Notez-nous de 1 à 5 : {{link}}',
    reminderSubject: 'Nous attendons votre réponse [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nNous attendons toujours votre réponse concernant votre demande {{reference}} pour pouvoir vous aider. Répondez simplement à ce message.\n\n{{closing}}',
    reminderShort:
      'Nous attendons toujours votre réponse concernant votre demande {{reference}}. Répondez ici. {{closing}}',
    reminderClosing: 'Sans nouvelles de votre part, nous clôturerons la demande le {{closeAt}}.',
  },
  de: {
    surveySubject: 'Wie zufrieden waren Sie? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nwir haben Ihre Anfrage {{reference}} als gelöst markiert. Wie zufrieden sind Sie mit unserer Hilfe? Ein Klick genügt:\n\n{{scores}}\n\nWenn noch etwas nicht stimmt, antworten Sie einfach auf diese Nachricht, und wir kümmern uns erneut darum.',
    surveyShort:
      'Wie zufrieden waren Sie mit der Bearbeitung Ihrer Anfrage {{reference}}? Bewerten Sie uns von 1 bis 5: {{link}}',
    reminderSubject: 'Wir warten auf Ihre Antwort [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nwir warten noch auf Ihre Antwort zu Ihrer Anfrage {{reference}}, damit wir Ihnen weiterhelfen können. Antworten Sie einfach auf diese Nachricht.\n\n{{closing}}',
    reminderShort:
      'Wir warten noch auf Ihre Antwort zu Ihrer Anfrage {{reference}}. Antworten Sie einfach hier. {{closing}}',
    reminderClosing: 'Wenn wir nichts von Ihnen hören, schließen wir die Anfrage am {{closeAt}}.',
  },
  pt: {
    surveySubject: 'Como nos saímos? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nMarcamos a sua solicitação {{reference}} como resolvida. Quão satisfeito você está com a nossa ajuda? Basta um clique:\n\n{{scores}}\n\nSe algo ainda não estiver certo, basta responder a esta mensagem e retomaremos o atendimento.',
    surveyShort: 'Como nos saímos com a sua solicitação {{reference}}? Avalie-nos de 1 a 5: {{link}}',
    reminderSubject: 'Aguardamos a sua resposta [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nAinda aguardamos a sua resposta sobre a solicitação {{reference}} para podermos continuar a ajudar. Basta responder a esta mensagem.\n\n{{closing}}',
    reminderShort:
      'Ainda aguardamos a sua resposta sobre a solicitação {{reference}}. Responda aqui. {{closing}}',
    reminderClosing: 'Se não tivermos notícias suas, encerraremos a solicitação em {{closeAt}}.',
  },
  zh: {
    surveySubject: '您对我们的服务满意吗？[{{reference}}]',
    surveyText:
      '{{greeting}}\n\n我们已将您的请求 {{reference}} 标记为已解决。您对我们的帮助满意吗？只需点击一下：\n\n{{scores}}\n\n如果问题仍未解决，请直接回复此消息，我们会继续为您处理。',
    surveyShort: '您对请求 {{reference}} 的处理满意吗？请打 1 到 5 分：{{link}}',
    reminderSubject: '我们正在等待您的回复 [{{reference}}]',
    reminderText:
      '{{greeting}}\n\n我们仍在等待您对请求 {{reference}} 的回复，以便继续为您提供帮助。请直接回复此消息。\n\n{{closing}}',
    reminderShort: '我们仍在等待您对请求 {{reference}} 的回复，请在此回复。{{closing}}',
    reminderClosing: '如果没有收到您的回复，我们将于 {{closeAt}} 关闭该请求。',
  },
  'zh-Hant': {
    surveySubject: '您對我們的服務滿意嗎？[{{reference}}]',
    surveyText:
      '{{greeting}}\n\n我們已將您的請求 {{reference}} 標記為已解決。您對我們的協助滿意嗎？只需點擊一下：\n\n{{scores}}\n\n如果問題仍未解決，請直接回覆此訊息，我們會繼續為您處理。',
    surveyShort: '您對請求 {{reference}} 的處理滿意嗎？請評 1 到 5 分：{{link}}',
    reminderSubject: '我們正在等候您的回覆 [{{reference}}]',
    reminderText:
      '{{greeting}}\n\n我們仍在等候您對請求 {{reference}} 的回覆，以便繼續為您提供協助。請直接回覆此訊息。\n\n{{closing}}',
    reminderShort: '我們仍在等候您對請求 {{reference}} 的回覆，請在此回覆。{{closing}}',
    reminderClosing: '如果沒有收到您的回覆，我們將於 {{closeAt}} 關閉該請求。',
  },
};
